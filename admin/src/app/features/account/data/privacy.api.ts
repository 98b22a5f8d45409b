import { HttpClient, HttpContext, HttpResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

const inline = () => new HttpContext().set(SILENT_ERRORS, true);

/** The caller's own personal data (API-CONTRACT.md "privacy"): export and erasure. */
@Injectable({ providedIn: 'root' })
export class PrivacyApi {
  private readonly http = inject(HttpClient);

  /** `GET /me/export`: a JSON file download. */
  exportMine(): Observable<HttpResponse<Blob>> {
    return this.http.get(`${API_BASE}/me/export`, {
      responseType: 'blob',
      observe: 'response',
      context: inline(),
    });
  }

  /** `DELETE /me {password?}`: 409 `last_owner` names the organizations to hand over first. */
  eraseMine(password: string | null): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/me`, {
      body: password ? { password } : {},
      context: inline(),
    });
  }
}
