import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];

/** `GET /billing`, and the answer of `PUT /billing/plan`: the effective plan, its limits (`null` = unlimited) and usage. */
export type BillingOverview = Schemas['BillingResponseDto'];
export type BillingLimits = Schemas['BillingLimitsDto'];
export type BillingUsage = Schemas['BillingUsageDto'];
export type PlanName = BillingOverview['plan'];
export type SubscriptionStatus = BillingOverview['status'];
/** `PUT /billing/plan` body (OWNER, only without Stripe). */
export type ChangePlanRequest = Schemas['ChangePlanDto'];
/** `POST /billing/checkout` body. */
export type CheckoutRequest = Schemas['CheckoutDto'];
/** `POST /billing/checkout` and `POST /billing/portal`: the Stripe-hosted page to send the browser to. */
export type RedirectResponse = Schemas['BillingUrlResponseDto'];
export type PurchasablePlan = CheckoutRequest['plan'];
export type BillingInterval = CheckoutRequest['interval'];

/** The billing page shows every failure itself (error state, inline alert). */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** The current organization's plan, usage and subscription (tenant routes: X-Organization-Id). */
@Injectable({ providedIn: 'root' })
export class BillingApi {
  private readonly http = inject(HttpClient);

  overview(): Observable<BillingOverview> {
    return this.http.get<BillingOverview>(`${API_BASE}/billing`, inline());
  }

  checkout(body: CheckoutRequest): Observable<RedirectResponse> {
    return this.http.post<RedirectResponse>(`${API_BASE}/billing/checkout`, body, inline());
  }

  portal(): Observable<RedirectResponse> {
    return this.http.post<RedirectResponse>(`${API_BASE}/billing/portal`, {}, inline());
  }

  changePlan(plan: PlanName): Observable<BillingOverview> {
    const body: ChangePlanRequest = { plan };
    return this.http.put<BillingOverview>(`${API_BASE}/billing/plan`, body, inline());
  }
}
