import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE, SsoSettings, UpdateSsoSettings } from '../../../core/api/api-types';

export type { SsoSettings, UpdateSsoSettings };

/** The organization's SAML SSO settings (OWNER and ADMIN). */
@Injectable({ providedIn: 'root' })
export class SsoApi {
  private readonly http = inject(HttpClient);

  private url(organizationId: string): string {
    return `${API_BASE}/organizations/${encodeURIComponent(organizationId)}/sso`;
  }

  get(organizationId: string): Observable<SsoSettings> {
    return this.http.get<SsoSettings>(this.url(organizationId));
  }

  save(organizationId: string, body: UpdateSsoSettings): Observable<SsoSettings> {
    return this.http.put<SsoSettings>(this.url(organizationId), body);
  }

  remove(organizationId: string): Observable<void> {
    return this.http.delete<void>(this.url(organizationId));
  }
}
