import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
/** `GET /models` item: the catalogue with the organization's prices in force (`priceSource`). */
export type CatalogueModel = Schemas['ModelResponseDto'];
/** `GET /organizations/:id/model-prices` item: one of the organization's own prices in force. */
export type OrganizationPrice = Schemas['ModelPriceResponseDto'];
export type SetModelPriceRequest = Schemas['SetModelPriceDto'];

/** Calls whose failure the section or dialog reports inline, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

const pricesOf = (organizationId: string) =>
  `${API_BASE}/organizations/${encodeURIComponent(organizationId)}/model-prices`;

/** Model prices: the catalogue and the organization's own prices (docs/playground.md, "Prices"). */
@Injectable({ providedIn: 'root' })
export class ModelPricesApi {
  private readonly http = inject(HttpClient);

  models(): Observable<CatalogueModel[]> {
    return this.http.get<CatalogueModel[]>(`${API_BASE}/models`);
  }

  list(organizationId: string): Observable<OrganizationPrice[]> {
    return this.http.get<OrganizationPrice[]>(pricesOf(organizationId));
  }

  set(organizationId: string, model: string, body: SetModelPriceRequest): Observable<OrganizationPrice> {
    return this.http.put<OrganizationPrice>(
      `${pricesOf(organizationId)}/${encodeURIComponent(model)}`,
      body,
      inline(),
    );
  }

  remove(organizationId: string, model: string): Observable<void> {
    return this.http.delete<void>(`${pricesOf(organizationId)}/${encodeURIComponent(model)}`, inline());
  }
}
