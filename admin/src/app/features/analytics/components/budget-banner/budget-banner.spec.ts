import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { MemoryStorage } from '../../../../core/storage/browser-storage';
import { analyticsProviders, budget, settle, signIn, verifyAndReset } from '../../testing/analytics-fixtures';
import { Budget } from '../../data/analytics.types';
import { BANNER_DISMISSALS, BudgetBanner, dismissalKey } from './budget-banner';

async function render(role: MembershipRole, answer: Budget | null, dismissals = new MemoryStorage()) {
  TestBed.configureTestingModule({
    imports: [BudgetBanner],
    providers: analyticsProviders([provideRouter([]), { provide: BANNER_DISMISSALS, useValue: dismissals }]),
  });
  const backend = signIn(role);
  const fixture = TestBed.createComponent(BudgetBanner);
  await settle(fixture);
  if (answer) backend.expectOne('/api/v1/budget').flush(answer);
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
    expect(el.textContent?.trim()).toBe('');
  });
});
