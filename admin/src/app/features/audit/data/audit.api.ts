import { HttpClient, HttpContext, HttpEvent, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE, Member } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
export type AuditEvent = Schemas['AuditEventResponseDto'];
export type AuditPage = Schemas['AuditEventPageDto'];
export type AuditVerdict = Schemas['AuditVerifyResponseDto'];
export type ExportFormat = 'csv' | 'jsonl';

/** The list and export filters of `GET /audit-events` (empty values are left out). */
export interface AuditFilter {
  actor?: string;
  /** An exact action (`prompt.updated`) or a family (`prompt.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  /** Free text in the changes. */
  q?: string;
}

const inline = () => new HttpContext().set(SILENT_ERRORS, true);

function params(filter: AuditFilter, extra: Record<string, string | number | undefined> = {}): HttpParams {
  let p = new HttpParams();
  for (const [key, value] of Object.entries({ ...filter, ...extra }))
    if (value !== undefined && value !== '') p = p.set(key, String(value));
  return p;
}

/** The audit trail (API-CONTRACT.md "Audit" and "Audit additions"). */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  list(filter: AuditFilter, cursor?: string, limit = 50): Observable<AuditPage> {
    return this.http.get<AuditPage>(`${API_BASE}/audit-events`, {
      params: params(filter, { cursor, limit }),
      context: inline(),
    });
  }

  verify(): Observable<AuditVerdict> {
    return this.http.get<AuditVerdict>(`${API_BASE}/audit-events/verify`, { context: inline() });
  }

  /** The streamed export as a Blob, with download progress events (the size is not known ahead). */
  export(format: ExportFormat, filter: AuditFilter): Observable<HttpEvent<Blob>> {
    return this.http.get(`${API_BASE}/audit-events/export`, {
      params: params(filter, { format }),
      responseType: 'blob',
      observe: 'events',
      reportProgress: true,
      context: inline(),
    });
  }

  members(organizationId: string): Observable<Member[]> {
    return this.http.get<Member[]>(`${API_BASE}/organizations/${encodeURIComponent(organizationId)}/members`);
  }
}
