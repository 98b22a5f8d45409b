import { TestBed } from '@angular/core/testing';
import { analyticsProviders, budget, signIn, verifyAndReset } from '../testing/analytics-fixtures';
import { CollectionBudget } from './analytics.types';
import { BudgetAlertsStore } from './budget-alerts.store';

const support: CollectionBudget = {
  collectionId: 'c1',
  collectionName: 'Support',
  monthlyLimitUsd: 20,
  thresholds: [50],
  hardStop: false,
  spentUsd: 12,
  percent: 60,
  crossed: [50],
};

function setUp() {
  TestBed.configureTestingModule({ providers: [...analyticsProviders(), BudgetAlertsStore] });
  const backend = signIn('OWNER');
  return { store: TestBed.inject(BudgetAlertsStore), backend };
}

describe('BudgetAlertsStore', () => {
  afterEach(verifyAndReset);

  it('shows each answer as it arrives, the organization’s without waiting for the collections', async () => {
    const { store, backend } = setUp();
    const loading = store.load('o1');
    backend.expectOne('/api/v1/budget').flush(budget({ spentUsd: 60, percent: 60, crossed: [50] }));
    await new Promise((resolve) => setTimeout(resolve));
    expect(store.state()).toMatchObject({ organizationId: 'o1', budget: { percent: 60 }, collections: [] });

    backend.expectOne('/api/v1/budget/collections').flush({ items: [support] });
    await loading;
    expect(store.state()?.collections).toEqual([support]);
    expect(store.state()?.budget?.percent).toBe(60);
  });

  it('leaves a part empty when it cannot be read (no organization budget: 404)', async () => {
    const { store, backend } = setUp();
    const loading = store.load('o1');
    backend.expectOne('/api/v1/budget').flush(null, { status: 404, statusText: 'Not Found' });
    backend.expectOne('/api/v1/budget/collections').flush({ items: [support] });
    await loading;
    expect(store.state()).toEqual({ organizationId: 'o1', budget: null, collections: [support] });
  });

  it('ignores the answers of an earlier organization, and everything after clear', async () => {
    const { store, backend } = setUp();
    const first = store.load('o1');
    const [oldBudget, oldCollections] = [
      backend.expectOne('/api/v1/budget'),
      backend.expectOne('/api/v1/budget/collections'),
    ];
    const second = store.load('o2');
    oldBudget.flush(budget({ percent: 90, crossed: [50, 80] }));
    oldCollections.flush({ items: [support] });
    await first;
    expect(store.state()).toEqual({ organizationId: 'o2', budget: null, collections: [] });

    store.clear();
    backend.expectOne('/api/v1/budget').flush(budget({ percent: 90, crossed: [50, 80] }));
    backend.expectOne('/api/v1/budget/collections').flush({ items: [support] });
    await second;
    expect(store.state()).toBeNull();
  });
});
