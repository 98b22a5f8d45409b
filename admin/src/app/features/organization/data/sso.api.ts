import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE, Role } from '../../../core/api/api-types';

/*
 * SSO settings shapes, typed by hand in this one place because the SAML module is being built
 * alongside this page and is not in docs/openapi.json yet. Once `npm run openapi:export &&
 * npm run api:generate` shows its DTOs, alias them here (as core/api/api-types.ts does).
 */
export interface SsoAttributeMapping {
  email: string;
  name: string;
  role?: string | null;
}

export interface SsoServiceProvider {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
}

/** `GET /organizations/:id/sso`. */
export interface SsoSettings {
  configured: boolean;
  enabled: boolean;
  idpEntityId: string | null;
  idpSsoUrl: string | null;
  idpCertificate: string | null;
  /** SHA-256 fingerprints of the configured certificates. */
  idpCertificateFingerprints: string[];
  metadataUrl: string | null;
  attributeMapping: SsoAttributeMapping;
  roleMapping: Record<string, Role>;
  /** OWNER is never a default. */
  defaultRole: Exclude<Role, 'OWNER'>;
  ssoRequired: boolean;
  sp: SsoServiceProvider;
}

/** `PUT /organizations/:id/sso`: IdP from metadata XML, a metadata URL, or the three fields. */
export interface UpdateSsoSettings {
  metadataXml?: string;
  metadataUrl?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpCertificate?: string;
  attributeMapping?: SsoAttributeMapping;
  roleMapping?: Record<string, Role>;
  defaultRole?: Exclude<Role, 'OWNER'>;
  ssoRequired?: boolean;
  enabled?: boolean;
}

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
