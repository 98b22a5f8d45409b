import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

/*
 * The shapes of API-CONTRACT.md "Billing and plans", written by hand until docs/openapi.json has
 * the billing routes (then they become aliases of the generated `components['schemas']`). `null`
 * means unlimited wherever a limit is a number.
 */
export type PlanName = 'free' | 'starter' | 'pro' | 'enterprise';
export type PurchasablePlan = 'starter' | 'pro';
export type BillingInterval = 'month' | 'year';
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

export interface CheckoutRequest {
  plan: PurchasablePlan;
  interval: BillingInterval;
}

/** `POST /billing/checkout` and `POST /billing/portal`: where Stripe takes the browser. */
export interface RedirectResponse {
  url: string;
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
