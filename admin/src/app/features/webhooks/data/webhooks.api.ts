import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
/** `GET /webhooks` item: never the secret. */
export type WebhookEndpoint = Schemas['WebhookResponseDto'];
/** The answer to `POST /webhooks`: the endpoint and its secret, shown once. */
export type CreatedWebhook = Schemas['CreatedWebhookResponseDto'];
export type CreateWebhookRequest = Schemas['CreateWebhookDto'];
export type UpdateWebhookRequest = Schemas['UpdateWebhookDto'];
export type WebhookEventType = CreateWebhookRequest['events'][number];
export type WebhookDelivery = Schemas['WebhookDeliveryResponseDto'];
export type WebhookDeliveryPage = Schemas['WebhookDeliveryPageDto'];

/** Calls whose failure the page or dialog reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });
const path = (id: string) => `${API_BASE}/webhooks/${encodeURIComponent(id)}`;

/** The organization's webhook endpoints and their delivery logs (API-CONTRACT.md "Webhooks"). */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  list(): Observable<WebhookEndpoint[]> {
    return this.http.get<WebhookEndpoint[]>(`${API_BASE}/webhooks`);
  }

  create(body: CreateWebhookRequest): Observable<CreatedWebhook> {
    return this.http.post<CreatedWebhook>(`${API_BASE}/webhooks`, body, inline());
  }

  update(id: string, body: UpdateWebhookRequest): Observable<WebhookEndpoint> {
    return this.http.patch<WebhookEndpoint>(path(id), body, inline());
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(path(id), inline());
  }

  rotateSecret(id: string): Observable<{ secret: string }> {
    return this.http.post<{ secret: string }>(`${path(id)}/rotate-secret`, {}, inline());
  }

  test(id: string): Observable<{ deliveryId: string }> {
    return this.http.post<{ deliveryId: string }>(`${path(id)}/test`, {}, inline());
  }

  deliveries(id: string, cursor?: string): Observable<WebhookDeliveryPage> {
    let params = new HttpParams().set('limit', 20);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<WebhookDeliveryPage>(`${path(id)}/deliveries`, { params, ...inline() });
  }

  redeliver(id: string, deliveryId: string): Observable<{ deliveryId: string }> {
    return this.http.post<{ deliveryId: string }>(
      `${path(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      {},
      inline(),
    );
  }
}
