import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { MemoryStorage } from '../../../../core/storage/browser-storage';
import { analyticsProviders, budget, settle, signIn, verifyAndReset } from '../../testing/analytics-fixtures';
import { Budget, CollectionBudget } from '../../data/analytics.types';
import { BANNER_DISMISSALS, BudgetBanner, collectionDismissalKey, dismissalKey } from './budget-banner';

const collectionBudget = (over: Partial<CollectionBudget> = {}): CollectionBudget => ({
  collectionId: 'c1',
  collectionName: 'Support',
  monthlyLimitUsd: 20,
  thresholds: [50, 80, 100],
  hardStop: false,
  spentUsd: 0,
  percent: 0,
  crossed: [],
  ...over,
});

/** `answer`: the organization's budget, `'none'` for a 404 (no budget set), null when no request is expected. */
async function render(
  role: MembershipRole,
  answer: Budget | 'none' | null,
  dismissals = new MemoryStorage(),
  collections: CollectionBudget[] = [],
) {
  TestBed.configureTestingModule({
    imports: [BudgetBanner],
    providers: analyticsProviders([provideRouter([]), { provide: BANNER_DISMISSALS, useValue: dismissals }]),
  });
  const backend = signIn(role);
  const fixture = TestBed.createComponent(BudgetBanner);
  await settle(fixture);
  if (answer === 'none')
    backend.expectOne('/api/v1/budget').flush(null, { status: 404, statusText: 'Not Found' });
  else if (answer) backend.expectOne('/api/v1/budget').flush(answer);
  if (answer) backend.expectOne('/api/v1/budget/collections').flush({ items: collections });
  await settle(fixture);
  return { fixture, backend, el: fixture.nativeElement as HTMLElement, dismissals };
}

describe('BudgetBanner', () => {
  afterEach(verifyAndReset);

  it('warns OWNERs and ADMINs once a threshold is crossed, until dismissed for the session', async () => {
    const b = budget({ spentUsd: 85, percent: 85, crossed: [50, 80] });
    const { fixture, el, dismissals } = await render('ADMIN', b);
    const banner = getByRole(el, 'status', 'Budget warning');
    expect(banner.textContent).toContain("85% of this month's budget is spent");
    expect(banner.textContent).toContain('$85.00 of $100.00');
    expect(getByRole(el, 'link', 'Budget settings').getAttribute('href')).toBe('/analytics/budget');

    getByRole(el, 'button', 'Dismiss').click();
    await settle(fixture);
    expect(queryAllByRole(el, 'status')).toHaveLength(0);
    expect(dismissals.getItem(dismissalKey('o1', b, new Date()))).toBe('1');
  });

  it('stays hidden when dismissed earlier in the session, and comes back for a higher threshold', async () => {
    const dismissals = new MemoryStorage();
    const b = budget({ spentUsd: 85, percent: 85, crossed: [50, 80] });
    dismissals.setItem(dismissalKey('o1', b, new Date()), '1');
    const first = await render('OWNER', b, dismissals);
    expect(queryAllByRole(first.el, 'status')).toHaveLength(0);

    TestBed.resetTestingModule();
    const over = budget({ spentUsd: 120, percent: 120, crossed: [50, 80, 100], hardStop: true });
    const second = await render('OWNER', over, dismissals);
    expect(getByRole(second.el, 'status', 'Budget warning').textContent).toContain(
      'playground and API runs are refused',
    );
  });

  it('shows nothing below the first threshold', async () => {
    const { el } = await render('ADMIN', budget({ spentUsd: 10, percent: 10 }));
    expect(queryAllByRole(el, 'status')).toHaveLength(0);
  });

  it('never asks for the budget for EDITORs and VIEWERs', async () => {
    const { el, backend } = await render('EDITOR', null);
    backend.expectNone('/api/v1/budget');
    backend.expectNone('/api/v1/budget/collections');
    expect(el.textContent?.trim()).toBe('');
  });

  it('adds a line for each collection budget over a threshold, even without an organization budget', async () => {
    const { fixture, el, dismissals } = await render('OWNER', 'none', new MemoryStorage(), [
      collectionBudget({ spentUsd: 17, percent: 85, crossed: [50, 80] }),
      collectionBudget({ collectionId: 'c2', collectionName: 'Sales', spentUsd: 2, percent: 10 }),
      collectionBudget({
        collectionId: 'c3',
        collectionName: 'Refunds',
        hardStop: true,
        spentUsd: 25,
        percent: 125,
        crossed: [50, 80, 100],
      }),
    ]);
    const banner = getByRole(el, 'status', 'Budget warning');
    const lines = [...banner.querySelectorAll('p')].map((p) => p.textContent?.trim());
    expect(lines).toEqual([
      "85% of this month's budget of collection Support is spent ($17.00 of $20.00).",
      'The budget of collection Refunds ($20.00) is spent (125%): runs of its prompts are refused until next month or a higher limit.',
    ]);
    expect(banner.classList).toContain('stopped');

    getByRole(el, 'button', 'Dismiss').click();
    await settle(fixture);
    expect(queryAllByRole(el, 'status')).toHaveLength(0);
    const now = new Date();
    expect(
      dismissals.getItem(collectionDismissalKey('o1', collectionBudget({ crossed: [50, 80] }), now)),
    ).toBe('1');
    expect(
      dismissals.getItem(
        collectionDismissalKey('o1', collectionBudget({ collectionId: 'c3', crossed: [50, 80, 100] }), now),
      ),
    ).toBe('1');
  });

  it('shows the organization line first and keeps a dismissed collection line hidden', async () => {
    const dismissals = new MemoryStorage();
    const support = collectionBudget({ spentUsd: 17, percent: 85, crossed: [50, 80] });
    dismissals.setItem(collectionDismissalKey('o1', support, new Date()), '1');
    const { el } = await render('ADMIN', budget({ spentUsd: 55, percent: 55, crossed: [50] }), dismissals, [
      support,
      collectionBudget({
        collectionId: 'c2',
        collectionName: 'Sales',
        spentUsd: 11,
        percent: 55,
        crossed: [50],
      }),
    ]);
    const banner = getByRole(el, 'status', 'Budget warning');
    const lines = [...banner.querySelectorAll('p')].map((p) => p.textContent?.trim());
    expect(lines).toEqual([
      "55% of this month's budget is spent ($55.00 of $100.00).",
      "55% of this month's budget of collection Sales is spent ($11.00 of $20.00).",
    ]);
    expect(banner.classList).not.toContain('stopped');
  });
});
