import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE, Organization } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import type { components } from '../../../core/api/schema';

type Schemas = components['schemas'];

/** `GET|PATCH /organizations/:id/settings` (OWNER, ADMIN). */
export type OrganizationSettings = Schemas['OrganizationSettingsResponseDto'];
export type OrganizationSettingsChange = Schemas['UpdateOrganizationSettingsDto'];
/** `GET|PUT /organizations/:id/audit-retention` (OWNER, ADMIN; bounded by the plan). */
export type AuditRetention = Schemas['AuditRetentionResponseDto'];
export type DefaultRole = OrganizationSettings['defaultRole'];

/** Calls whose failure the page reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

function org(organizationId: string): string {
  return `${API_BASE}/organizations/${encodeURIComponent(organizationId)}`;
}

/** The organization itself, its settings and its audit retention (the settings page). */
@Injectable({ providedIn: 'root' })
export class OrganizationAdminApi {
  private readonly http = inject(HttpClient);

  get(organizationId: string): Observable<Organization> {
    return this.http.get<Organization>(org(organizationId));
  }

  update(organizationId: string, body: { name?: string; slug?: string }): Observable<Organization> {
    return this.http.patch<Organization>(org(organizationId), body, inline());
  }

  remove(organizationId: string): Observable<void> {
    return this.http.delete<void>(org(organizationId), inline());
  }

  settings(organizationId: string): Observable<OrganizationSettings> {
    return this.http.get<OrganizationSettings>(`${org(organizationId)}/settings`);
  }

  updateSettings(organizationId: string, body: OrganizationSettingsChange): Observable<OrganizationSettings> {
    return this.http.patch<OrganizationSettings>(`${org(organizationId)}/settings`, body, inline());
  }

  retention(organizationId: string): Observable<AuditRetention> {
    return this.http.get<AuditRetention>(`${org(organizationId)}/audit-retention`);
  }

  /** A retention over the plan's bound answers `plan_limit_reached`, which opens the upgrade dialog. */
  updateRetention(organizationId: string, days: number | null): Observable<AuditRetention> {
    return this.http.put<AuditRetention>(`${org(organizationId)}/audit-retention`, { days }, inline());
  }
}
