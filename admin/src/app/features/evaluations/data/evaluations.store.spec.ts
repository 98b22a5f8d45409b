import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { memoryStorage } from '../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../core/api/api-types';
import { authInterceptor } from '../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { PlanLimitPrompt } from '../../../core/http/plan-limit';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { SessionStore } from '../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../core/storage/browser-storage';
import { evaluation } from './evaluations-fixtures';
import { EvaluationsStore } from './evaluations.store';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const LIST = '/api/v1/prompts/p1/evaluations';
const problem = (status: number, code: string, extra: object = {}) => ({
  status,
  statusText: 'Error',
  headers: { 'Content-Type': 'application/problem+json' },
  body: { type: 'about:blank', title: 'Failed', status, code, detail: `detail of ${code}`, ...extra },
});

function setUp(role: MembershipRole) {
  const planLimit = { show: vi.fn() };
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: PlanLimitPrompt, useValue: planLimit },
      EvaluationsStore,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const store = TestBed.inject(EvaluationsStore);
  store.setPrompt('p1');
  TestBed.tick();
  return { store, backend, planLimit, stable: () => TestBed.inject(ApplicationRef).whenStable() };
}

describe('EvaluationsStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lets a VIEWER read the history without loading models or evaluating', async () => {
    const { store, backend, stable } = setUp('VIEWER');
    expect(store.canEvaluate()).toBe(false);
    backend.expectNone('/api/v1/models');
    backend.expectOne((r) => r.url === LIST).flush({ items: [evaluation('e1')], nextCursor: null });
    await stable();
    expect(store.history()?.map((e) => e.id)).toEqual(['e1']);
    expect(store.selected()?.id).toBe('e1');
  });

  it('evaluates: the new evaluation goes first in the history and is shown', async () => {
    const { store, backend, stable } = setUp('EDITOR');
    backend.expectOne('/api/v1/models').flush([]);
    backend.expectOne((r) => r.url === LIST).flush({ items: [evaluation('e1')], nextCursor: null });
    await stable();

    const running = store.evaluate({ version: 2, model: 'claude-sonnet-4-5' });
    expect(store.evaluating()).toBe(true);
    const req = backend.expectOne((r) => r.url === LIST && r.method === 'POST');
    expect(req.request.body).toEqual({ version: 2, model: 'claude-sonnet-4-5' });
    expect(req.request.headers.get('X-Organization-Id')).toBe('o1');
    req.flush(evaluation('e2', { excellent: true }));
    expect((await running)?.id).toBe('e2');
    expect(store.evaluating()).toBe(false);
    expect(store.history()?.map((e) => e.id)).toEqual(['e2', 'e1']);
    expect(store.selected()?.excellent).toBe(true);

    store.select(store.history()![1]);
    expect(store.selected()?.id).toBe('e1');
  });

  it('pages through older evaluations with the cursor', async () => {
    const { store, backend, stable } = setUp('OWNER');
    backend.expectOne('/api/v1/models').flush([]);
    backend
      .expectOne((r) => r.url === LIST && !r.params.has('cursor'))
      .flush({ items: [evaluation('e3'), evaluation('e2')], nextCursor: 'c1' });
    await stable();
    expect(store.hasMore()).toBe(true);
    const more = store.loadMore();
    backend
      .expectOne((r) => r.url === LIST && r.params.get('cursor') === 'c1')
      .flush({ items: [evaluation('e1')], nextCursor: null });
    await more;
    expect(store.history()?.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    expect(store.hasMore()).toBe(false);
  });

  it('says why an evaluation failed, from the code, and stores nothing', async () => {
    const { store, backend, stable } = setUp('ADMIN');
    backend.expectOne('/api/v1/models').flush([]);
    backend.expectOne((r) => r.url === LIST).flush({ items: [], nextCursor: null });
    await stable();
    const running = store.evaluate({ version: 1 });
    const { body, ...init } = problem(502, 'evaluator_answer_invalid');
    backend.expectOne((r) => r.url === LIST && r.method === 'POST').flush(body, init);
    expect(await running).toBeNull();
    expect(store.error()).toMatch(/did not give a usable evaluation/);
    expect(store.history()).toEqual([]);

    const again = store.evaluate({ version: 1 });
    const missing = problem(409, 'provider_key_missing', { provider: 'openai' });
    backend.expectOne((r) => r.url === LIST && r.method === 'POST').flush(missing.body, missing);
    await again;
    expect(store.error()).toMatch(/no key for this model’s provider/);
  });

  it('leaves a reached plan limit to the upgrade dialog, without an inline error', async () => {
    const { store, backend, planLimit, stable } = setUp('EDITOR');
    backend.expectOne('/api/v1/models').flush([]);
    backend.expectOne((r) => r.url === LIST).flush({ items: [], nextCursor: null });
    await stable();
    const running = store.evaluate({ version: 1 });
    const limit = problem(403, 'plan_limit_reached', {
      limit: 'evaluations',
      plan: 'free',
      max: 0,
      current: 0,
    });
    backend.expectOne((r) => r.url === LIST && r.method === 'POST').flush(limit.body, limit);
    expect(await running).toBeNull();
    // A 403 makes the session check the caller's memberships again.
    for (const r of backend.match('/api/v1/me')) r.flush(me('EDITOR'));
    expect(planLimit.show).toHaveBeenCalledWith(expect.objectContaining({ code: 'plan_limit_reached' }));
    expect(store.error()).toBeNull();
  });
});
