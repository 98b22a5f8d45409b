import { computed, DestroyRef, inject, Injectable, InjectionToken, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { ExternalNavigation } from '../../../core/auth/external-navigation';
import { SessionStore } from '../../../core/session/session.store';
import {
  BillingApi,
  BillingInterval,
  BillingOverview,
  PlanName,
  PurchasablePlan,
  SubscriptionStatus,
} from './billing.api';

/**
 * When the page reads the billing state again after returning from Checkout: Stripe's webhook,
 * which changes the plan, may land a moment after the browser.
 */
export const CHECKOUT_REFRESH_DELAYS_MS = new InjectionToken<readonly number[]>(
  'CHECKOUT_REFRESH_DELAYS_MS',
  {
    factory: () => [1_000, 2_000, 4_000, 8_000],
  },
);

/** A limit the organization is over, e.g. after a downgrade: content stays, creation is paused. */
export interface OverLimit {
  limit: 'members' | 'prompts';
  current: number;
  max: number;
}

/** What the page is doing right now (one thing at a time), or null. */
export type BillingAction =
  | { kind: 'checkout'; plan: PurchasablePlan }
  | { kind: 'portal' }
  | { kind: 'plan'; plan: PlanName }
  | { kind: 'refresh' };

const SUBSCRIBED: readonly SubscriptionStatus[] = ['active', 'trialing', 'past_due'];

function sameState(a: BillingOverview, b: BillingOverview): boolean {
  return a.plan === b.plan && a.status === b.status && a.interval === b.interval;
}

/**
 * The current organization's plan, subscription and usage, and the ways to change the plan:
 * Checkout and the Customer Portal (browser redirects) with Stripe, `PUT /billing/plan` without.
 * Provided by the billing page, so the state loads only there.
 */
@Injectable()
export class BillingStore {
  private readonly api = inject(BillingApi);
  private readonly session = inject(SessionStore);
  private readonly navigation = inject(ExternalNavigation);
  private readonly refreshDelays = inject(CHECKOUT_REFRESH_DELAYS_MS);
  private destroyed = false;

  readonly overview = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: () => this.api.overview(),
  });

  /** The last state read (null while loading or after a failed read); never throws, unlike `overview.value()`. */
  readonly state = computed<BillingOverview | null>(() =>
    this.overview.hasValue() ? this.overview.value() : null,
  );

  /** Only the OWNER changes the plan (the API's CASL rules; the server decides). */
  readonly canManage = computed(() => this.session.ability().can('manage', 'Billing'));
  readonly action = signal<BillingAction | null>(null);
  readonly busy = computed(() => this.action() !== null);

  readonly status = computed<SubscriptionStatus | null>(() => this.state()?.status ?? null);
  readonly subscribed = computed(() => {
    const status = this.status();
    return status !== null && SUBSCRIBED.includes(status);
  });

  /**
   * Free limits apply although a plan was bought: the subscription was canceled, or stayed past
   * due beyond the grace period, or ran out at the end of a period it was canceled for.
   */
  readonly downgraded = computed(() => {
    const overview = this.state();
    if (!overview) return false;
    const now = Date.now();
    const passed = (at?: string | null) => !!at && new Date(at).getTime() <= now;
    if (overview.status === 'canceled') return true;
    if (overview.status === 'past_due') return passed(overview.graceEndsAt);
    return overview.cancelAtPeriodEnd && passed(overview.currentPeriodEnd);
  });
  /** Past due and still within the grace period: the plan is kept for now. */
  readonly pastDue = computed(() => this.status() === 'past_due' && !this.downgraded());

  /** Members and prompts beyond the limits that apply now (after a downgrade). */
  readonly overLimits = computed<OverLimit[]>(() => {
    const overview = this.state();
    if (!overview) return [];
    const over: OverLimit[] = [];
    for (const limit of ['members', 'prompts'] as const) {
      const max = overview.limits[limit];
      const current = overview.usage[limit];
      if (max !== null && current > max) over.push({ limit, current, max });
    }
    return over;
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => (this.destroyed = true));
  }

  /** Starts Stripe Checkout for the plan and sends the browser there. */
  async checkout(plan: PurchasablePlan, interval: BillingInterval): Promise<void> {
    await this.redirect({ kind: 'checkout', plan }, () => this.api.checkout({ plan, interval }));
  }

  /** Opens the Stripe Customer Portal (payment method, invoices, plan changes, cancellation). */
  async openPortal(): Promise<void> {
    await this.redirect({ kind: 'portal' }, () => this.api.portal());
  }

  /** Without Stripe: switches the plan directly; the page shows the new state at once. */
  async changePlan(plan: PlanName): Promise<BillingOverview> {
    this.action.set({ kind: 'plan', plan });
    try {
      const overview = await firstValueFrom(this.api.changePlan(plan));
      this.overview.set(overview);
      return overview;
    } finally {
      this.action.set(null);
    }
  }

  /**
   * After Checkout: reads the state again a few times until the webhook has changed it (or the
   * delays run out). Resolves with whether a change was seen.
   */
  async followCheckout(): Promise<boolean> {
    // Compared with the state before the webhook; read first if the page has not loaded it yet.
    let before = this.state() ?? undefined;
    this.action.set({ kind: 'refresh' });
    try {
      for (const delay of this.refreshDelays) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.destroyed) return false;
        try {
          const fresh = await firstValueFrom(this.api.overview());
          this.overview.set(fresh);
          if (before && !sameState(before, fresh)) return true;
          before ??= fresh;
        } catch {
          // A failed read is retried at the next delay; the page keeps the state it shows.
        }
      }
      return false;
    } finally {
      this.action.set(null);
    }
  }

  private async redirect(
    action: BillingAction,
    request: () => ReturnType<BillingApi['portal']>,
  ): Promise<void> {
    this.action.set(action);
    try {
      const { url } = await firstValueFrom(request());
      this.navigation.assign(url);
      // The page stays busy while the browser leaves for Stripe.
    } catch (error) {
      this.action.set(null);
      throw error;
    }
  }
}
