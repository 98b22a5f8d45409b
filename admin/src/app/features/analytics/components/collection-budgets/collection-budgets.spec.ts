import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialog, MatDialogRef } from '@angular/material/dialog';
import { of } from 'rxjs';
import { vi } from 'vitest';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { CollectionBudget } from '../../data/analytics.types';
import { collectionPaths, CollectionBudgetsStore } from '../../data/collection-budgets.store';
import { analyticsProviders, settle, signIn, verifyAndReset } from '../../testing/analytics-fixtures';
import { CollectionBudgetDialog, parseThresholdList } from './collection-budget-dialog';
import { CollectionBudgets } from './collection-budgets';

const PROBLEM = { headers: { 'Content-Type': 'application/problem+json' } };

const budget = (over: Partial<CollectionBudget> = {}): CollectionBudget => ({
  collectionId: 'c1',
  collectionName: 'Support',
  monthlyLimitUsd: 100,
  thresholds: [50, 80, 100],
  hardStop: false,
  spentUsd: 0,
  percent: 0,
  crossed: [],
  ...over,
});
const COLLECTIONS = [
  { id: 'c1', name: 'Support', parentId: null },
  { id: 'c2', name: 'Refunds', parentId: 'c1' },
  { id: 'c3', name: 'Sales', parentId: null },
];

async function renderPanel(items: CollectionBudget[], collections = COLLECTIONS) {
  const open = vi.fn(() => ({ afterClosed: () => of(true) }));
  TestBed.configureTestingModule({
    imports: [CollectionBudgets],
    providers: analyticsProviders([provideAppIcons(), { provide: MatDialog, useValue: { open } }]),
  });
  const backend = signIn('ADMIN');
  const fixture = TestBed.createComponent(CollectionBudgets);
  await settle(fixture);
  backend.expectOne('/api/v1/budget/collections').flush({ items });
  backend.expectOne('/api/v1/collections').flush({ items: collections, nextCursor: null });
  await settle(fixture);
  return { fixture, backend, open, el: fixture.nativeElement as HTMLElement, settle: () => settle(fixture) };
}

describe('CollectionBudgets', () => {
  afterEach(verifyAndReset);

  it('lists each collection budget with its spending bar, crossed thresholds and hard stop', async () => {
    const { el } = await renderPanel([
      budget({
        collectionId: 'c2',
        collectionName: 'Refunds',
        spentUsd: 120,
        percent: 120,
        crossed: [50, 80, 100],
        hardStop: true,
      }),
      budget({ collectionId: 'c3', collectionName: 'Sales', monthlyLimitUsd: 40, spentUsd: 10, percent: 25 }),
    ]);
    const items = queryAllByRole(el, 'listitem');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('$120.00 of $100.00 (120%)');
    expect(items[0].textContent).toContain('Hard stop');
    expect(items[0].textContent).toContain('Thresholds crossed this month: 50%, 80%, 100%');
    expect(items[1].textContent).toContain('$10.00 of $40.00 (25%)');
    expect(items[1].textContent).not.toContain('Hard stop');
    const over = getByRole(el, 'progressbar', 'Refunds budget used: 120%');
    expect(over.getAttribute('aria-valuenow')).toBe('100');
    expect(over.classList).toContain('over');
    expect(getByRole(el, 'progressbar', 'Sales budget used: 25%').getAttribute('aria-valuenow')).toBe('25');
  });

  it('says why the list is empty, and cannot add without collections', async () => {
    let r = await renderPanel([]);
    expect(getByRole(r.el, 'heading', 'No collection budgets')).toBeTruthy();
    expect(r.el.textContent).toContain('Add one to watch or cap');
    expect((getByRole(r.el, 'button', 'Add collection budget') as HTMLButtonElement).disabled).toBe(false);
    verifyAndReset();
    r = await renderPanel([], []);
    expect(r.el.textContent).toContain('Create a collection in the library first');
    expect((getByRole(r.el, 'button', 'Add collection budget') as HTMLButtonElement).disabled).toBe(true);
  });

  it('opens the dialog to add or edit a budget', async () => {
    const { el, open } = await renderPanel([budget()]);
    getByRole(el, 'button', 'Add collection budget').click();
    expect(open).toHaveBeenLastCalledWith(
      CollectionBudgetDialog,
      expect.objectContaining({ data: { budget: null } }),
    );
    getByRole(el, 'button', 'Edit the budget of Support').click();
    expect(open).toHaveBeenLastCalledWith(
      CollectionBudgetDialog,
      expect.objectContaining({ data: { budget: budget() } }),
    );
  });

  it('removes a budget after confirmation, and reports a failure inline', async () => {
    const { el, backend, open, settle } = await renderPanel([
      budget(),
      budget({ collectionId: 'c3', collectionName: 'Sales' }),
    ]);
    getByRole(el, 'button', 'Remove the budget of Support').click();
    expect(open).toHaveBeenCalledTimes(1);
    const remove = backend.expectOne('/api/v1/budget/collections/c1');
    expect(remove.request.method).toBe('DELETE');
    remove.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(queryAllByRole(el, 'listitem')).toHaveLength(1);

    getByRole(el, 'button', 'Remove the budget of Sales').click();
    backend
      .expectOne('/api/v1/budget/collections/c3')
      .flush(
        {
          type: 'about:blank',
          title: 'Not found',
          status: 404,
          code: 'not_found',
          detail: 'Collection budget was not found',
        },
        { status: 404, statusText: 'Not Found', ...PROBLEM },
      );
    await settle();
    expect(getByRole(el, 'alert').textContent).toContain('Collection budget was not found');
    expect(queryAllByRole(el, 'listitem')).toHaveLength(1);
  });
});

describe('CollectionBudgetDialog', () => {
  afterEach(verifyAndReset);

  async function renderDialog(existing: CollectionBudget | null) {
    const close = vi.fn();
    TestBed.configureTestingModule({
      imports: [CollectionBudgetDialog],
      providers: analyticsProviders([
        provideAppIcons(),
        CollectionBudgetsStore,
        { provide: MAT_DIALOG_DATA, useValue: { budget: existing } },
        { provide: MatDialogRef, useValue: { close } },
      ]),
    });
    const backend = signIn('OWNER');
    const store = TestBed.inject(CollectionBudgetsStore);
    store.collections.set(collectionPaths(COLLECTIONS));
    store.items.set(existing ? [existing] : []);
    const fixture = TestBed.createComponent(CollectionBudgetDialog);
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const field = (name: string) => el.querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`)!;
    const type = (name: string, value: string) => {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
    };
    return { fixture, backend, store, close, el, field, type, settle: () => settle(fixture) };
  }

  it('edits an existing budget: validates, then saves with PUT and closes with the answer', async () => {
    const existing = budget({ monthlyLimitUsd: 40, thresholds: [80], hardStop: true });
    const { el, backend, store, close, field, type, settle } = await renderDialog(existing);
    expect(el.textContent).toContain('Budget of “Support”');
    expect(el.querySelector('mat-select')).toBeNull();
    expect(field('monthlyLimitUsd').value).toBe('40');
    expect(field('thresholds').value).toBe('80');

    type('monthlyLimitUsd', '0');
    type('thresholds', '50, lots');
    getByRole(el, 'button', 'Save').click();
    await settle();
    backend.expectNone('/api/v1/budget/collections/c1');
    expect(el.textContent).toContain('The limit must be at least $0.01');
    expect(el.textContent).toContain('Thresholds are whole percents from 1 to 1000');

    type('monthlyLimitUsd', '75.5');
    type('thresholds', '90 %, 50');
    getByRole(el, 'button', 'Save').click();
    const req = backend.expectOne('/api/v1/budget/collections/c1');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ monthlyLimitUsd: 75.5, thresholds: [50, 90], hardStop: true });
    const saved = budget({ monthlyLimitUsd: 75.5, thresholds: [50, 90], hardStop: true });
    req.flush(saved);
    await settle();
    expect(close).toHaveBeenCalledWith(saved);
    expect(store.items()).toEqual([saved]);
  });

  it('adds a budget for a collection without one, and shows a failure in the dialog', async () => {
    const { el, backend, store, close, type, settle, fixture } = await renderDialog(null);
    expect(el.textContent).toContain('Add a collection budget');
    getByRole(el, 'button', 'Save').click();
    await settle();
    expect(el.textContent).toContain('Choose a collection');
    backend.expectNone((r) => r.url.startsWith('/api/v1/budget/collections'));
    // Only collections without a budget are offered, by their path.
    expect(store.available().map((c) => c.path)).toEqual(['Sales', 'Support', 'Support / Refunds']);

    (
      fixture.componentInstance as unknown as {
        form: { controls: { collectionId: { setValue: (v: string) => void } } };
      }
    ).form.controls.collectionId.setValue('c2');
    type('monthlyLimitUsd', '12');
    getByRole(el, 'button', 'Save').click();
    const req = backend.expectOne('/api/v1/budget/collections/c2');
    expect(req.request.body).toEqual({ monthlyLimitUsd: 12, thresholds: [50, 80, 100], hardStop: false });
    req.flush(
      {
        type: 'about:blank',
        title: 'Service unavailable',
        status: 503,
        code: 'service_unavailable',
        detail: 'The database is unavailable; try again shortly',
      },
      { status: 503, statusText: 'Service Unavailable', ...PROBLEM },
    );
    await settle();
    expect(getByRole(el, 'alert').textContent).toContain('The database is unavailable; try again shortly');
    expect(close).not.toHaveBeenCalled();
    expect(store.items()).toEqual([]);
  });
});

describe('parseThresholdList', () => {
  it('reads percents separated by commas or spaces, ascending and once each', () => {
    expect(parseThresholdList('100, 50 80')).toEqual([50, 80, 100]);
    expect(parseThresholdList('75 %, 75%')).toEqual([75]);
    expect(parseThresholdList('')).toEqual([]);
    expect(parseThresholdList('50, 0')).toBeNull();
    expect(parseThresholdList('half')).toBeNull();
  });
});
