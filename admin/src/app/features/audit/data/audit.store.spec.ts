import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MembershipRole } from '../../../core/api/api-types';
import { AuditStore } from './audit.store';
import { event } from './audit-fixtures';
import { configureSignedIn } from '../../../../testing/signed-in-test-bed';

function setUp(role: MembershipRole = 'ADMIN') {
  const backend = configureSignedIn(role, { providers: [AuditStore] });
  const store = TestBed.inject(AuditStore);
  TestBed.tick();
  backend.match('/api/v1/organizations/o1/members').forEach((r) => r.flush([]));
  return { store, backend };
}

const flushMicrotasks = () => new Promise((resolve) => setTimeout(resolve));

describe('AuditStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('loads the filtered first page, then follows the cursor; a new filter starts over', async () => {
    const { store, backend } = setUp();
    const first = store.apply({ action: 'prompt.*', q: 'hello' });
    const req = backend.expectOne((r) => r.url === '/api/v1/audit-events');
    expect(req.request.params.get('action')).toBe('prompt.*');
    expect(req.request.params.get('q')).toBe('hello');
    expect(req.request.params.has('cursor')).toBe(false);
    expect(req.request.headers.get('X-Organization-Id')).toBe('o1');
    req.flush({ items: [event(9), event(8)], nextCursor: 'c1' });
    await first;
    expect(store.events().map((e) => e.seq)).toEqual([9, 8]);
    expect(store.hasMore()).toBe(true);

    const more = store.loadMore();
    // A second scroll while the page is loading asks for nothing more.
    await store.loadMore();
    const next = backend.expectOne((r) => r.url === '/api/v1/audit-events');
    expect(next.request.params.get('cursor')).toBe('c1');
    expect(next.request.params.get('action')).toBe('prompt.*');
    next.flush({ items: [event(7)], nextCursor: null });
    await more;
    expect(store.events().map((e) => e.seq)).toEqual([9, 8, 7]);
    expect(store.hasMore()).toBe(false);
    await store.loadMore();
    backend.expectNone('/api/v1/audit-events');

    const again = store.apply({});
    backend.expectOne((r) => r.url === '/api/v1/audit-events').flush({ items: [], nextCursor: null });
    await again;
    expect(store.events()).toEqual([]);
    expect(store.loaded()).toBe(true);
  });

  it('keeps only the answer of the latest filter', async () => {
    const { store, backend } = setUp();
    const a = store.apply({ action: 'auth.*' });
    const b = store.apply({ action: 'member.*' });
    const [slow, fast] = backend.match((r) => r.url === '/api/v1/audit-events');
    fast.flush({ items: [event(5, { action: 'member.invited' })], nextCursor: null });
    slow.flush({ items: [event(4, { action: 'auth.login' })], nextCursor: 'x' });
    await Promise.all([a, b]);
    expect(store.events().map((e) => e.action)).toEqual(['member.invited']);
    expect(store.hasMore()).toBe(false);
  });

  it('verifies and shows the verdict, or the failure', async () => {
    const { store, backend } = setUp();
    const ok = store.verify();
    backend.expectOne('/api/v1/audit-events/verify').flush({ valid: false, brokenAtSeq: 12, checked: 11 });
    await ok;
    expect(store.verdict()).toEqual({ valid: false, brokenAtSeq: 12, checked: 11 });
    const failed = store.verify();
    backend.expectOne('/api/v1/audit-events/verify').flush(null, { status: 503, statusText: 'Unavailable' });
    await failed;
    expect(store.verdict()).toBeNull();
    expect(store.verifyError()).toBeTruthy();
    expect(store.verifying()).toBe(false);
  });

  it('downloads the filtered export with progress and the server file name', async () => {
    const { store, backend } = setUp('OWNER');
    expect(store.canExport()).toBe(true);
    const applied = store.apply({ actor: 'u2' });
    backend.expectOne((r) => r.url === '/api/v1/audit-events').flush({ items: [], nextCursor: null });
    await applied;
    const download = store.export('jsonl');
    const req = backend.expectOne((r) => r.url === '/api/v1/audit-events/export');
    expect(req.request.params.get('format')).toBe('jsonl');
    expect(req.request.params.get('actor')).toBe('u2');
    expect(req.request.responseType).toBe('blob');
    req.event({ type: 3, loaded: 2048 } as never);
    await flushMicrotasks();
    expect(store.exporting()).toEqual({ format: 'jsonl', loaded: 2048 });
    req.flush(new Blob(['{"seq":1}\n']), {
      headers: { 'Content-Disposition': 'attachment; filename="audit-2026-12-05.jsonl"' },
    });
    const file = await download;
    expect(file?.filename).toBe('audit-2026-12-05.jsonl');
    expect(await file?.blob.text()).toBe('{"seq":1}\n');
    expect(store.exporting()).toBeNull();
  });
});
