import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
/** `GET /provider-keys` item: never the key, only its last four characters. */
export type ProviderKey = Schemas['ProviderKeyResponseDto'];
export type CreateProviderKeyRequest = Schemas['CreateProviderKeyDto'];
export type ProviderKeyTestResult = Schemas['ProviderKeyTestResultDto'];
export type Provider = ProviderKey['provider'];

/** Calls whose failure the page or dialog reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** The organization's model provider keys (API-CONTRACT.md "Provider keys, runs and evaluations"). */
@Injectable({ providedIn: 'root' })
export class ProviderKeysApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ProviderKey[]> {
    return this.http.get<ProviderKey[]>(`${API_BASE}/provider-keys`);
  }

  create(body: CreateProviderKeyRequest): Observable<ProviderKey> {
    return this.http.post<ProviderKey>(`${API_BASE}/provider-keys`, body, inline());
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/provider-keys/${encodeURIComponent(id)}`, inline());
  }

  test(id: string): Observable<ProviderKeyTestResult> {
    return this.http.post<ProviderKeyTestResult>(
      `${API_BASE}/provider-keys/${encodeURIComponent(id)}/test`,
      {},
      inline(),
    );
  }
}
