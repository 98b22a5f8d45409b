import { TestBed } from '@angular/core/testing';
import { analyticsProviders, budget, signIn, verifyAndReset } from '../testing/analytics-fixtures';
import { BudgetStore } from './budget.store';

function setUp() {
  TestBed.configureTestingModule({ providers: [...analyticsProviders(), BudgetStore] });
  const backend = signIn('OWNER');
  return { store: TestBed.inject(BudgetStore), backend };
}

const PROBLEM = { headers: { 'Content-Type': 'application/problem+json' } };

describe('BudgetStore', () => {
  afterEach(verifyAndReset);

  it('loads the budget with this month’s spending', async () => {
    const { store, backend } = setUp();
    const loading = store.load();
    expect(store.loading()).toBe(true);
    backend.expectOne('/api/v1/budget').flush(budget({ spentUsd: 60, percent: 60, crossed: [50] }));
    await loading;
    expect(store.budget()?.crossed).toEqual([50]);
    expect(store.loaded()).toBe(true);
    expect(store.loading()).toBe(false);
  });

  it('treats a 404 as "no budget yet", other failures as errors', async () => {
    const { store, backend } = setUp();
    let loading = store.load();
    backend
      .expectOne('/api/v1/budget')
      .flush(
        { type: 'about:blank', title: 'Not Found', status: 404 },
        { status: 404, statusText: 'Not Found', ...PROBLEM },
      );
    await loading;
    expect(store.budget()).toBeNull();
    expect(store.loaded()).toBe(true);
    expect(store.error()).toBeNull();

    loading = store.load();
    backend.expectOne('/api/v1/budget').flush(null, { status: 503, statusText: 'Unavailable' });
    await loading;
    expect(store.error()).toBeTruthy();
  });

  it('saves with PUT and keeps the recomputed answer', async () => {
    const { store, backend } = setUp();
    const saving = store.save({ monthlyLimitUsd: 50, thresholds: [80], hardStop: true, monthlyReport: true });
    expect(store.saving()).toBe(true);
    const req = backend.expectOne('/api/v1/budget');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({
      monthlyLimitUsd: 50,
      thresholds: [80],
      hardStop: true,
      monthlyReport: true,
    });
    req.flush(
      budget({
        monthlyLimitUsd: 50,
        thresholds: [80],
        hardStop: true,
        spentUsd: 45,
        percent: 90,
        crossed: [80],
      }),
    );
    expect(await saving).toBe(true);
    expect(store.budget()?.percent).toBe(90);
    expect(store.saving()).toBe(false);
  });

  it('reports a refused save', async () => {
    const { store, backend } = setUp();
    const saving = store.save({
      monthlyLimitUsd: 50,
      thresholds: [80],
      hardStop: false,
      monthlyReport: false,
    });
    backend.expectOne('/api/v1/budget').flush(
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        errors: [{ field: 'thresholds', message: 'must be ascending' }],
      },
      { status: 400, statusText: 'Bad Request', ...PROBLEM },
    );
    expect(await saving).toBe(false);
    expect(store.saveError()).toBeTruthy();
  });
});
