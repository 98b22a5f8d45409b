import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];

/** `POST /billing/checkout` body. */
export type CheckoutRequest = Schemas['CheckoutDto'];
/** `POST /billing/checkout` and `POST /billing/portal`: the Stripe-hosted page to send the browser to. */
export type RedirectResponse = Schemas['BillingUrlResponseDto'];
export type PurchasablePlan = CheckoutRequest['plan'];
export type BillingInterval = CheckoutRequest['interval'];

/*
 * `GET /billing` and `PUT /billing/plan` (API-CONTRACT.md "Billing and plans") are written by hand
 * until docs/openapi.json has them (then they become aliases of `BillingResponseDto`,
 * `BillingLimitsDto` and `BillingUsageDto`). `null` means unlimited wherever a limit is a number.
 */
export type PlanName = 'free' | 'starter' | 'pro' | 'enterprise';
export type SubscriptionStatus = 'active' | 'trialing' | 'past_due' | 'canceled' | 'none';

export interface BillingLimits {
  members: number | null;
  prompts: number | null;
  versionHistory: { versions?: number | null; days?: number | null };
  /** Null: no request limit (Enterprise without a custom one). */
  apiRequests: { limit: number; windowSeconds: number } | null;
  /** 0: not on this plan. */
  evaluationsPerMonth: number | null;
  ownedOrganizations: number | null;
}

export interface BillingUsage {
  members: number;
  prompts: number;
  /** Requests counted in the current window of `limits.apiRequests`. */
  apiRequests: number;
  evaluationsThisMonth: number;
}

/** `GET /billing`, and the answer of `PUT /billing/plan`. */
export interface BillingOverview {
  /** The effective plan: whose limits apply now (Free once a subscription lapsed past its grace). */
  plan: PlanName;
  status: SubscriptionStatus;
  interval?: BillingInterval | null;
  currentPeriodEnd?: string | null;
  cancelAtPeriodEnd: boolean;
  graceEndsAt?: string | null;
  stripeEnabled: boolean;
  limits: BillingLimits;
  usage: BillingUsage;
}

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
    return this.http.put<BillingOverview>(`${API_BASE}/billing/plan`, { plan }, inline());
  }
}
