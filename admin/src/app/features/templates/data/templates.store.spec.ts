import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { memoryStorage } from '../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../core/api/api-types';
import { authInterceptor } from '../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { SessionStore } from '../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../core/storage/browser-storage';
import { flushCollections, TEMPLATES } from '../testing/templates-fixtures';
import { TemplatesStore } from './templates.store';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

function setUp(role: MembershipRole) {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      TemplatesStore,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const store = TestBed.inject(TemplatesStore);
  TestBed.tick();
  flushCollections(backend);
  return { store, backend };
}

describe('TemplatesStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('loads the catalogue for a VIEWER (browsing is for every member) without the right to use it', async () => {
    const { store, backend } = setUp('VIEWER');
    const list = backend.expectOne('/api/v1/templates');
    expect(list.request.headers.get('X-Organization-Id')).toBe('o1');
    list.flush(TEMPLATES);
    await TestBed.inject(ApplicationRef).whenStable();
    expect(store.canUse()).toBe(false);
    expect(store.filtered().map((t) => t.id)).toEqual(TEMPLATES.map((t) => t.id));
  });

  it('groups by category in gallery order, filters by category and searches title, description and content', async () => {
    const { store, backend } = setUp('EDITOR');
    backend.expectOne('/api/v1/templates').flush(TEMPLATES);
    await TestBed.inject(ApplicationRef).whenStable();
    expect(store.canUse()).toBe(true);
    expect(store.groups().map((g) => [g.category, g.templates.map((t) => t.id)])).toEqual([
      ['coding', ['coding-review', 'coding-tests']],
      ['sales', ['sales-discovery']],
      ['writing', ['writing-summary']],
    ]);
    expect(store.counts().get('coding')).toBe(2);
    expect(store.counts().get('hr')).toBeUndefined();

    store.category.set('coding');
    expect(store.filtered().map((t) => t.id)).toEqual(['coding-review', 'coding-tests']);
    store.query.set('  EDGE ');
    expect(store.filtered().map((t) => t.id)).toEqual(['coding-tests']);
    // The counts stay those of the whole catalogue.
    expect(store.counts().get('coding')).toBe(2);
    store.category.set(null);
    store.query.set('spin style');
    expect(store.groups().map((g) => g.category)).toEqual(['sales']);
    store.query.set('nothing has this');
    expect(store.groups()).toEqual([]);
  });

  it('uses a template: POST /templates/:id/use with the collection when given, marking it busy meanwhile', async () => {
    const { store, backend } = setUp('EDITOR');
    backend.expectOne('/api/v1/templates').flush(TEMPLATES);
    const using = store.use(TEMPLATES[1], 'c0ffee00-0000-4000-8000-000000000000');
    expect(store.isUsing(TEMPLATES[1])).toBe(true);
    expect(store.isUsing(TEMPLATES[0])).toBe(false);
    const req = backend.expectOne('/api/v1/templates/coding-review/use');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ collectionId: 'c0ffee00-0000-4000-8000-000000000000' });
    req.flush({ id: 'p1', title: 'Code review' }, { status: 201, statusText: 'Created' });
    await expect(using).resolves.toMatchObject({ id: 'p1' });
    expect(store.isUsing(TEMPLATES[1])).toBe(false);

    expect(store.collectionOptions().map((n) => [n.collection.name, n.depth])).toEqual([
      ['Marketing', 0],
      ['Ads', 1],
    ]);
    store.targetCollection.set('c2');
    const targeted = store.use(TEMPLATES[2]);
    const third = backend.expectOne('/api/v1/templates/sales-discovery/use');
    expect(third.request.body).toEqual({ collectionId: 'c2' });
    third.flush({ id: 'p2', title: 'Discovery call' }, { status: 201, statusText: 'Created' });
    await targeted;
    store.targetCollection.set(null);

    const bare = store.use(TEMPLATES[0]);
    const second = backend.expectOne('/api/v1/templates/writing-summary/use');
    expect(second.request.body).toEqual({});
    second.flush(
      { type: 'about:blank', title: 'Plan limit reached', status: 403, code: 'plan_limit_reached' },
      { status: 403, statusText: 'Forbidden', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await expect(bare).rejects.toBeTruthy();
    expect(store.isUsing(TEMPLATES[0])).toBe(false);
    // A 403 makes the session check the caller's role again.
    backend.expectOne('/api/v1/me').flush(me('EDITOR'));
  });
});
