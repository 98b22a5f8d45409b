import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import {
  API_BASE,
  ApiKey,
  CreateApiKeyRequest,
  CreatedApiKey,
  CreatedInvite,
  CreateInviteRequest,
  CreateOrganizationRequest,
  Invite,
  Member,
  Organization,
  Role,
} from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

/** Calls whose failure the page or dialog reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

function org(organizationId: string): string {
  return `${API_BASE}/organizations/${encodeURIComponent(organizationId)}`;
}

/** Organizations, members, invites and API keys (API-CONTRACT.md "Organizations…"). */
@Injectable({ providedIn: 'root' })
export class OrganizationApi {
  private readonly http = inject(HttpClient);

  create(body: CreateOrganizationRequest): Observable<Organization> {
    return this.http.post<Organization>(`${API_BASE}/organizations`, body, inline());
  }

  members(organizationId: string): Observable<Member[]> {
    return this.http.get<Member[]>(`${org(organizationId)}/members`);
  }

  changeRole(organizationId: string, userId: string, role: Role): Observable<Member> {
    return this.http.patch<Member>(`${org(organizationId)}/members/${userId}`, { role }, inline());
  }

  removeMember(organizationId: string, userId: string): Observable<void> {
    return this.http.delete<void>(`${org(organizationId)}/members/${userId}`, inline());
  }

  invites(organizationId: string): Observable<Invite[]> {
    return this.http.get<Invite[]>(`${org(organizationId)}/invites`);
  }

  invite(organizationId: string, body: CreateInviteRequest): Observable<CreatedInvite> {
    return this.http.post<CreatedInvite>(`${org(organizationId)}/invites`, body, inline());
  }

  revokeInvite(organizationId: string, inviteId: string): Observable<void> {
    return this.http.delete<void>(`${org(organizationId)}/invites/${inviteId}`, inline());
  }

  apiKeys(organizationId: string): Observable<ApiKey[]> {
    return this.http.get<ApiKey[]>(`${org(organizationId)}/api-keys`);
  }

  createApiKey(organizationId: string, body: CreateApiKeyRequest): Observable<CreatedApiKey> {
    return this.http.post<CreatedApiKey>(`${org(organizationId)}/api-keys`, body, inline());
  }

  revokeApiKey(organizationId: string, keyId: string): Observable<void> {
    return this.http.delete<void>(`${org(organizationId)}/api-keys/${keyId}`, inline());
  }
}
