import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { BillingOverview } from '../../data/billing.api';
import { overview, PROBLEM_HEADERS, setUpBilling } from '../../testing/billing-fixtures';
import { BillingPage } from './billing-page';

const DAY = 86_400_000;

/** The status chip's visible text (its hidden prefix names it for screen readers). */
function status(root: HTMLElement): string {
  const chip = root.querySelector('[data-testid="subscription-status"]');
  expect(chip?.textContent).toContain('Subscription status:');
  return (chip?.textContent ?? '').replace('Subscription status:', '').trim();
}

async function render(
  role: 'OWNER' | 'ADMIN' | 'VIEWER',
  state: BillingOverview | null = overview(),
  checkout?: string,
) {
  const notify = vi.fn<(message: string) => void>();
  const assign = vi.fn<(url: string) => void>();
  const backend = setUpBilling(role, { notify, assign });
  const snackBar = vi.spyOn(TestBed.inject(MatSnackBar), 'open');
  const fixture = TestBed.createComponent(BillingPage);
  if (checkout) fixture.componentRef.setInput('checkout', checkout);
  TestBed.tick();
  // Not whenStable() before the answer: the page's resource counts as pending work until then.
  if (state) {
    backend.expectOne('/api/v1/billing').flush(state);
    await fixture.whenStable();
  }
  const root = fixture.nativeElement as HTMLElement;
  const card = (title: string) => getByRole(root, 'group', `${title} plan`);
  return { fixture, backend, notify, assign, snackBar, root, card };
}

describe('BillingPage', () => {
  it('shows the OWNER plan, status, usage against each limit and Upgrade on the bigger plans', async () => {
    const { root, card } = await render('OWNER');
    expect(getByRole(root, 'heading', 'Billing')).toBeTruthy();
    expect(root.querySelector('.plan-name')?.textContent).toContain('Free');
    expect(status(root)).toBe('No subscription');

    const prompts = getByRole(root, 'meter', 'Prompts');
    expect(prompts.getAttribute('aria-valuenow')).toBe('42');
    expect(prompts.getAttribute('aria-valuemax')).toBe('100');
    expect(getByRole(root, 'meter', 'API requests').closest('pv-usage-meter')?.textContent).toContain(
      'per hour',
    );
    // Free has no AI evaluations: no meter, a sentence instead.
    expect(queryAllByRole(root, 'meter', 'AI evaluations this month')).toHaveLength(0);
    expect(root.textContent).toContain('Not included in your plan');

    expect(card('Free').textContent).toContain('Current plan');
    expect(queryAllByRole(card('Free'), 'button')).toHaveLength(0);
    expect(getByRole(card('Starter'), 'button', 'Upgrade: Starter')).toBeTruthy();
    expect(getByRole(card('Pro'), 'button', 'Upgrade: Pro')).toBeTruthy();
    // Enterprise goes through sales: no button that calls the API.
    expect(queryAllByRole(card('Enterprise'), 'button')).toHaveLength(0);
    expect(card('Enterprise').textContent).toContain('contact sales');
    expect(root.textContent).not.toContain('Only an owner can change the plan');
    // No subscription yet: nothing to manage in the portal.
    expect(queryAllByRole(root, 'button', 'Manage billing')).toHaveLength(0);
  });

  it('shows other roles the same information read-only', async () => {
    const { root, card } = await render(
      'ADMIN',
      overview({ plan: 'pro', status: 'active', interval: 'month' }),
    );
    expect(root.textContent).toContain('Only an owner can change the plan.');
    for (const title of ['Free', 'Starter', 'Pro', 'Enterprise']) {
      expect(queryAllByRole(card(title), 'button')).toHaveLength(0);
    }
    expect(queryAllByRole(root, 'button', 'Manage billing')).toHaveLength(0);
    expect(getByRole(root, 'meter', 'Prompts')).toBeTruthy();
    expect(card('Pro').textContent).toContain('Current plan');
  });

  it('toggles yearly prices with the saving, and Upgrade starts Checkout for that interval', async () => {
    const { root, card, fixture, backend, assign } = await render('OWNER');
    expect(card('Pro').textContent).toContain('$99');
    expect(card('Pro').textContent).not.toContain('Save');

    const group = getByRole(root, 'radiogroup', 'Billing interval');
    getByRole(group, 'radio', 'Yearly').click();
    await fixture.whenStable();
    expect(card('Pro').textContent).toContain('$990');
    expect(card('Pro').textContent).toContain('Save $198 a year');
    expect(card('Starter').textContent).toContain('Save $58 a year');

    getByRole(card('Pro'), 'button', 'Upgrade: Pro').click();
    const request = backend.expectOne('/api/v1/billing/checkout');
    expect(request.request.body).toEqual({ plan: 'pro', interval: 'year' });
    request.flush(
      { url: 'https://checkout.stripe.com/c/pay/cs_test_9' },
      { status: 201, statusText: 'Created' },
    );
    await fixture.whenStable();
    expect(assign).toHaveBeenCalledWith('https://checkout.stripe.com/c/pay/cs_test_9');
  });

  it('explains a refused Checkout by its code, inline', async () => {
    const { root, card, fixture, backend, assign, notify } = await render('OWNER');
    getByRole(card('Starter'), 'button', 'Upgrade: Starter').click();
    backend.expectOne('/api/v1/billing/checkout').flush(
      {
        title: 'Stripe billing is not configured',
        status: 409,
        code: 'billing_not_configured',
        detail: 'x',
      },
      { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS },
    );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain(
      'Could not start the checkout: Payments are not set up on this server.',
    );
    expect(assign).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
  });

  it('shows the renewal, and "cancels on" for a subscription canceled at the period end', async () => {
    const end = '2027-01-15T00:00:00Z';
    const active = await render(
      'OWNER',
      overview({ plan: 'pro', status: 'active', interval: 'year', currentPeriodEnd: end }),
    );
    expect(active.root.textContent).toContain('Renews on');
    expect(active.root.textContent).toContain('Yearly');
    expect(status(active.root)).toBe('Active');
    // With a subscription, plan changes go through the portal.
    expect(getByRole(active.card('Starter'), 'button', 'Downgrade: Starter')).toBeTruthy();
    expect(getByRole(active.root, 'button', 'Manage billing')).toBeTruthy();
    TestBed.resetTestingModule();

    const canceling = await render(
      'OWNER',
      overview({ plan: 'pro', status: 'active', currentPeriodEnd: end, cancelAtPeriodEnd: true }),
    );
    expect(canceling.root.textContent).toContain('Cancels on');
    expect(canceling.root.textContent).not.toContain('Renews on');
  });

  it('warns about a failed payment with the grace period and a Manage button to the portal', async () => {
    const graceEndsAt = new Date(Date.now() + 5 * DAY).toISOString();
    const { root, fixture, backend, assign } = await render(
      'OWNER',
      overview({ plan: 'pro', status: 'past_due', interval: 'month', graceEndsAt }),
    );
    const banner = getByRole(root, 'status', 'Payment failed');
    expect(banner.textContent).toContain('Payment failed — your plan is kept until');
    expect(banner.textContent).toContain('update your payment method');
    expect(status(root)).toBe('Past due');
    expect(queryAllByRole(root, 'status', 'Downgraded to Free')).toHaveLength(0);

    getByRole(banner, 'button', 'Manage').click();
    backend.expectOne('/api/v1/billing/portal').flush({ url: 'https://billing.stripe.com/p/session/x' });
    await fixture.whenStable();
    expect(assign).toHaveBeenCalledWith('https://billing.stripe.com/p/session/x');
  });

  it('says the organization is on Free limits once canceled, and that content stays', async () => {
    const { root, card } = await render(
      'OWNER',
      overview({
        // The API answers with the effective plan: Free once canceled.
        plan: 'free',
        status: 'canceled',
        usage: { members: 2, prompts: 180, apiRequests: 0, evaluationsThisMonth: 0 },
      }),
    );
    const banner = getByRole(root, 'status', 'Downgraded to Free');
    expect(banner.textContent?.replace(/\s+/g, ' ')).toContain(
      'Your organization is on Free limits. The subscription has ended. Nothing was deleted.',
    );
    expect(banner.textContent).toContain('Choose a plan below to upgrade again.');
    expect(card('Free').textContent).toContain('Current plan');
    expect(card('Pro').textContent).not.toContain('Current plan');
    expect(getByRole(root, 'note').textContent).toBe(
      'Your organization has 180 prompts, more than the Free plan allows (100 prompts). Existing content ' +
        'stays and can be read and edited, but creation is paused until you upgrade or remove some.',
    );
    expect(getByRole(root, 'meter', 'Prompts').closest('pv-usage-meter')?.getAttribute('data-level')).toBe(
      'over',
    );
    // Canceled: a new subscription starts with Checkout again.
    expect(getByRole(card('Pro'), 'button', 'Upgrade: Pro')).toBeTruthy();
  });

  it('without Stripe switches the plan after confirmation and shows the new state', async () => {
    const { root, card, fixture, backend, snackBar } = await render(
      'OWNER',
      overview({ stripeEnabled: false }),
    );
    getByRole(card('Starter'), 'button', 'Switch to this plan: Starter').click();
    await fixture.whenStable();
    const dialog = getByRole(document.body, 'dialog');
    expect(dialog.textContent).toContain('Switch to Starter?');
    getByRole(dialog, 'button', 'Switch plan').click();
    const request = await vi.waitFor(() => backend.expectOne('/api/v1/billing/plan'));
    expect(request.request.method).toBe('PUT');
    expect(request.request.body).toEqual({ plan: 'starter' });
    request.flush(
      overview({ plan: 'starter', stripeEnabled: false, limits: { ...overview().limits, prompts: 500 } }),
    );
    await vi.waitFor(() => expect(card('Starter').textContent).toContain('Current plan'));
    expect(getByRole(root, 'meter', 'Prompts').getAttribute('aria-valuemax')).toBe('500');
    expect(snackBar).toHaveBeenCalledWith('Your organization is now on the Starter plan', undefined, {
      duration: 4000,
    });
  });

  it('announces a successful Checkout and reads the state again until the plan changed', async () => {
    const { root, fixture, backend, snackBar } = await render('OWNER', overview(), 'success');
    expect(snackBar).toHaveBeenCalledWith('Payment received — your plan updates in a moment', 'Dismiss', {
      duration: 8000,
    });
    await vi.waitFor(() => backend.expectOne('/api/v1/billing').flush(overview()));
    await vi.waitFor(() =>
      backend
        .expectOne('/api/v1/billing')
        .flush(overview({ plan: 'pro', status: 'active', interval: 'month' })),
    );
    await fixture.whenStable();
    await vi.waitFor(() => expect(root.querySelector('.plan-name')?.textContent).toContain('Pro'));
    await vi.waitFor(() =>
      expect(snackBar).toHaveBeenCalledWith('Your organization is now on the Pro plan', undefined, {
        duration: 5000,
      }),
    );
  });

  it('says when Checkout was canceled', async () => {
    const { snackBar } = await render('OWNER', overview(), 'cancel');
    expect(snackBar).toHaveBeenCalledWith('Checkout canceled', 'Dismiss', { duration: 5000 });
  });

  it('shows the problem when the billing state cannot be loaded, and tries again', async () => {
    const { root, fixture, backend } = await render('OWNER', null);
    backend
      .expectOne('/api/v1/billing')
      .flush(
        { title: 'Service unavailable', status: 503, detail: 'The database is not reachable' },
        { status: 503, statusText: 'Service Unavailable', headers: PROBLEM_HEADERS },
      );
    await fixture.whenStable();
    expect(root.textContent).toContain('The billing details could not be loaded');
    expect(getByRole(root, 'alert').textContent).toContain('The database is not reachable');

    getByRole(root, 'button', 'Try again').click();
    TestBed.tick();
    backend.expectOne('/api/v1/billing').flush(overview());
    await fixture.whenStable();
    expect(getByRole(root, 'meter', 'Prompts')).toBeTruthy();
  });

  it('explains a portal refusal (no_subscription) by its code', async () => {
    const { root, fixture, backend } = await render(
      'OWNER',
      overview({ plan: 'starter', status: 'canceled' }),
    );
    getByRole(root, 'button', 'Manage billing').click();
    backend
      .expectOne('/api/v1/billing/portal')
      .flush(
        { title: 'No subscription to manage', status: 409, code: 'no_subscription' },
        { status: 409, statusText: 'Conflict', headers: PROBLEM_HEADERS },
      );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('There is no subscription to manage yet.');
  });
});
