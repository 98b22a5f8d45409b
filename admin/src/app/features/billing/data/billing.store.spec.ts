import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ProblemError } from '../../../core/http/problem';
import { overview, PROBLEM_HEADERS, setUpBilling } from '../testing/billing-fixtures';
import { BillingStore } from './billing.store';

const DAY = 86_400_000;

function start(role: 'OWNER' | 'VIEWER' = 'OWNER') {
  const notify = vi.fn<(message: string) => void>();
  const assign = vi.fn<(url: string) => void>();
  const backend = setUpBilling(role, { notify, assign }, [BillingStore]);
  const store = TestBed.inject(BillingStore);
  return { store, backend, notify, assign };
}

async function loaded(backend: HttpTestingController, store: BillingStore, body = overview()) {
  TestBed.tick();
  const request = backend.expectOne('/api/v1/billing');
  expect(request.request.method).toBe('GET');
  expect(request.request.headers.get('X-Organization-Id')).toBe('o1');
  request.flush(body);
  await vi.waitFor(() => expect(store.state()).toEqual(body));
}

describe('BillingStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('loads the current organization’s billing state and lets only the OWNER manage it', async () => {
    const owner = start('OWNER');
    await loaded(owner.backend, owner.store);
    expect(owner.store.canManage()).toBe(true);
    expect(owner.store.subscribed()).toBe(false);
    expect(owner.store.downgraded()).toBe(false);
  });

  it('does not let a VIEWER manage billing', async () => {
    const viewer = start('VIEWER');
    await loaded(viewer.backend, viewer.store);
    expect(viewer.store.canManage()).toBe(false);
  });

  it('starts Checkout with plan and interval and sends the browser to Stripe', async () => {
    const { store, backend, assign } = start();
    await loaded(backend, store);
    const done = store.checkout('pro', 'year');
    expect(store.action()).toEqual({ kind: 'checkout', plan: 'pro' });
    const request = backend.expectOne('/api/v1/billing/checkout');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ plan: 'pro', interval: 'year' });
    request.flush(
      { url: 'https://checkout.stripe.com/c/pay/cs_test_1' },
      { status: 201, statusText: 'Created' },
    );
    await done;
    expect(assign).toHaveBeenCalledWith('https://checkout.stripe.com/c/pay/cs_test_1');
    // Still busy while the browser leaves for Stripe: no second click.
    expect(store.busy()).toBe(true);
  });

  it('rethrows a refused Checkout as a typed problem and is idle again, without a redirect', async () => {
    const { store, backend, assign, notify } = start();
    await loaded(backend, store);
    const done = store.checkout('starter', 'month');
    backend
      .expectOne('/api/v1/billing/checkout')
      .flush(
        { title: 'Stripe is unavailable', status: 502, code: 'stripe_unavailable' },
        { status: 502, statusText: 'Bad Gateway', headers: PROBLEM_HEADERS },
      );
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem.code).toBe('stripe_unavailable');
    expect(assign).not.toHaveBeenCalled();
    expect(store.busy()).toBe(false);
    // The page reports it inline: no snackbar as well.
    expect(notify).not.toHaveBeenCalled();
  });

  it('opens the Customer Portal', async () => {
    const { store, backend, assign } = start();
    await loaded(backend, store, overview({ plan: 'pro', status: 'active' }));
    const done = store.openPortal();
    const request = backend.expectOne('/api/v1/billing/portal');
    expect(request.request.method).toBe('POST');
    request.flush({ url: 'https://billing.stripe.com/p/session/test_1' });
    await done;
    expect(assign).toHaveBeenCalledWith('https://billing.stripe.com/p/session/test_1');
  });

  it('switches the plan without Stripe and shows the answer as the new state', async () => {
    const { store, backend } = start();
    await loaded(backend, store, overview({ stripeEnabled: false }));
    const done = store.changePlan('starter');
    expect(store.action()).toEqual({ kind: 'plan', plan: 'starter' });
    const request = backend.expectOne('/api/v1/billing/plan');
    expect(request.request.method).toBe('PUT');
    expect(request.request.body).toEqual({ plan: 'starter' });
    const switched = overview({
      plan: 'starter',
      stripeEnabled: false,
      limits: { ...overview().limits, prompts: 500 },
    });
    request.flush(switched);
    await done;
    expect(store.state()).toEqual(switched);
    expect(store.busy()).toBe(false);
  });

  it('keeps the state when a plan switch is refused', async () => {
    const { store, backend } = start();
    await loaded(backend, store);
    const done = store.changePlan('pro');
    backend
      .expectOne('/api/v1/billing/plan')
      .flush(
        { title: 'The plan is managed by Stripe', status: 409, code: 'billing_managed_by_stripe' },
        { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS },
      );
    await expect(done).rejects.toBeInstanceOf(ProblemError);
    expect(store.state()?.plan).toBe('free');
    expect(store.busy()).toBe(false);
  });

  it('after Checkout reads the state again until the webhook has changed the plan', async () => {
    const { store, backend } = start();
    await loaded(backend, store);
    const followed = store.followCheckout();
    await vi.waitFor(() => backend.expectOne('/api/v1/billing').flush(overview()));
    // A failed read is retried at the next delay.
    await vi.waitFor(() =>
      backend
        .expectOne('/api/v1/billing')
        .flush(
          { title: 'Unavailable', status: 503 },
          { status: 503, statusText: 'x', headers: PROBLEM_HEADERS },
        ),
    );
    await vi.waitFor(() =>
      backend.expectOne('/api/v1/billing').flush(overview({ plan: 'pro', status: 'active' })),
    );
    await expect(followed).resolves.toBe(true);
    expect(store.state()?.plan).toBe('pro');
    expect(store.busy()).toBe(false);
  });

  it('stops reading after the last delay when nothing changed', async () => {
    const { store, backend } = start();
    await loaded(backend, store);
    const followed = store.followCheckout();
    for (let i = 0; i < 3; i++)
      await vi.waitFor(() => backend.expectOne('/api/v1/billing').flush(overview()));
    await expect(followed).resolves.toBe(false);
  });

  describe('derived states', () => {
    it('past due within the grace period keeps the plan', async () => {
      const { store, backend } = start();
      const graceEndsAt = new Date(Date.now() + 3 * DAY).toISOString();
      await loaded(backend, store, overview({ plan: 'pro', status: 'past_due', graceEndsAt }));
      expect(store.pastDue()).toBe(true);
      expect(store.downgraded()).toBe(false);
      expect(store.subscribed()).toBe(true);
    });

    it('past due beyond the grace period, or canceled, is on Free limits', async () => {
      const { store, backend } = start();
      const graceEndsAt = new Date(Date.now() - DAY).toISOString();
      await loaded(backend, store, overview({ plan: 'pro', status: 'past_due', graceEndsAt }));
      expect(store.pastDue()).toBe(false);
      expect(store.downgraded()).toBe(true);
      store.overview.set(overview({ plan: 'starter', status: 'canceled' }));
      expect(store.downgraded()).toBe(true);
      store.overview.set(
        overview({
          plan: 'starter',
          status: 'active',
          cancelAtPeriodEnd: true,
          currentPeriodEnd: graceEndsAt,
        }),
      );
      expect(store.downgraded()).toBe(true);
    });

    it('lists the limits the organization is over (content stays, creation is paused)', async () => {
      const { store, backend } = start();
      await loaded(
        backend,
        store,
        overview({ usage: { members: 7, prompts: 100, apiRequests: 0, evaluationsThisMonth: 0 } }),
      );
      expect(store.overLimits()).toEqual([{ limit: 'members', current: 7, max: 5 }]);
    });
  });
});
