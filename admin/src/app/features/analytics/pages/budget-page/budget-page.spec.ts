import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { getByRole } from '../../../../../testing/test-helpers';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { analyticsProviders, budget, settle, signIn, verifyAndReset } from '../../testing/analytics-fixtures';
import { Budget } from '../../data/analytics.types';
import { BudgetPage } from './budget-page';

async function render(answer: Budget | 'none') {
  TestBed.configureTestingModule({
    imports: [BudgetPage],
    providers: analyticsProviders([provideRouter([]), provideAppIcons()]),
  });
  const backend = signIn('OWNER');
  const fixture = TestBed.createComponent(BudgetPage);
  await settle(fixture);
  const req = backend.expectOne('/api/v1/budget');
  if (answer === 'none')
    req.flush(
      { type: 'about:blank', title: 'Not Found', status: 404 },
      { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } },
    );
  else req.flush(answer);
  await settle(fixture);
  // The collection budgets panel below the settings loads its own data.
  backend.expectOne('/api/v1/budget/collections').flush({ items: [] });
  backend.expectOne('/api/v1/collections').flush({ items: [], nextCursor: null });
  await settle(fixture);
  return { fixture, backend, el: fixture.nativeElement as HTMLElement, settle: () => settle(fixture) };
}

const limitInput = (el: HTMLElement) =>
  el.querySelector<HTMLInputElement>('input[formcontrolname="monthlyLimitUsd"]')!;
const type = (input: HTMLInputElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event('input'));
};

describe('BudgetPage', () => {
  afterEach(verifyAndReset);

  it('shows this month against the limit and the saved settings', async () => {
    const { el } = await render(
      budget({ monthlyLimitUsd: 200, spentUsd: 170, percent: 85, crossed: [50, 80] }),
    );
    expect(el.textContent).toContain('$170.00 spent of $200.00 (85%)');
    expect(el.textContent).toContain('Thresholds crossed this month: 50%, 80%');
    expect(getByRole(el, 'progressbar', 'Budget used: 85%')).toBeTruthy();
    expect(limitInput(el).value).toBe('200');
    expect(getByRole(el, 'button', 'Remove 100%')).toBeTruthy();
  });

  it('starts a new budget with the default thresholds and refuses to save without a limit', async () => {
    const { el, backend, settle } = await render('none');
    expect(el.textContent).toContain('No budget is set yet.');
    for (const t of [50, 80, 100]) expect(getByRole(el, 'button', `Remove ${t}%`)).toBeTruthy();
    getByRole(el, 'button', 'Save budget').click();
    await settle();
    backend.expectNone('/api/v1/budget');
    expect(el.textContent).toContain('Enter a monthly limit');
  });

  it('adds and removes thresholds, then saves the settings with PUT', async () => {
    const { el, backend, settle } = await render('none');
    type(limitInput(el), '250.5');
    getByRole(el, 'button', 'Remove 80%').click();
    const chipInput = el.querySelector<HTMLInputElement>('input[aria-label="Add a threshold"]')!;
    chipInput.value = '1500';
    chipInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13 }));
    await settle();
    expect(getByRole(el, 'alert').textContent).toContain('“1500” is not a whole percent from 1 to 1000');
    chipInput.value = '90%';
    chipInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13 }));
    await settle();
    (el.querySelector('mat-slide-toggle[formcontrolname="hardStop"] button') as HTMLButtonElement).click();
    await settle();

    getByRole(el, 'button', 'Save budget').click();
    const req = backend.expectOne('/api/v1/budget');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({
      monthlyLimitUsd: 250.5,
      thresholds: [50, 90, 100],
      hardStop: true,
      monthlyReport: false,
    });
    req.flush(
      budget({ monthlyLimitUsd: 250.5, thresholds: [50, 90, 100], hardStop: true, spentUsd: 10, percent: 4 }),
    );
    await settle();
    expect(getByRole(el, 'status').textContent).toContain('Budget saved.');
    expect(el.textContent).toContain('$10.00 spent of $250.50');
  });

  it('puts the server’s field errors under the fields', async () => {
    const { el, backend, settle } = await render(budget());
    getByRole(el, 'button', 'Save budget').click();
    backend.expectOne('/api/v1/budget').flush(
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        errors: [{ field: 'monthlyLimitUsd', message: 'exceeds the plan' }],
      },
      { status: 400, statusText: 'Bad Request', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await settle();
    expect(el.textContent).toContain('exceeds the plan');
  });
});
