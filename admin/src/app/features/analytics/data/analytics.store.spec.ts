import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import {
  analyticsProviders,
  flushMicrotasks,
  signIn,
  summary,
  verifyAndReset,
} from '../testing/analytics-fixtures';
import { AnalyticsStore } from './analytics.store';
import { dashboardStateFromParams } from './dashboard-state';

const NOW = new Date('2026-12-05T12:00:00.000Z');
const FROM = '2026-11-06T00:00:00.000Z';
const TO = '2026-12-06T00:00:00.000Z';

function setUp() {
  TestBed.configureTestingModule({ providers: [...analyticsProviders(), AnalyticsStore] });
  const backend = signIn('ADMIN');
  const store = TestBed.inject(AnalyticsStore);
  return { store, backend };
}

const url = (path: string) => (r: { url: string }) => r.url === `/api/v1/analytics/${path}`;

/** Answers the five panel requests of a fresh view. */
function answerAll(backend: HttpTestingController) {
  backend.expectOne(url('summary')).flush(summary({ runs: 3 }));
  backend.expectOne(url('timeseries')).flush({ interval: 'day', series: [] });
  backend.expectOne(url('top-prompts')).flush({ items: [] });
  for (const r of backend.match(url('breakdown'))) r.flush({ items: [] });
}

describe('AnalyticsStore', () => {
  afterEach(verifyAndReset);

  it('loads every panel for the view, with the period, the choices and the organization', async () => {
    const { store, backend } = setUp();
    store.state.set(dashboardStateFromParams({ metric: 'cost', groupBy: 'model', top: 'fetches' }, NOW));
    TestBed.tick();

    const s = backend.expectOne(url('summary'));
    expect(s.request.params.get('from')).toBe(FROM);
    expect(s.request.params.get('to')).toBe(TO);
    expect(s.request.headers.get('X-Organization-Id')).toBe('o1');
    const ts = backend.expectOne(url('timeseries'));
    expect(ts.request.params.get('metric')).toBe('cost');
    expect(ts.request.params.get('interval')).toBe('day');
    expect(ts.request.params.get('groupBy')).toBe('model');
    const top = backend.expectOne(url('top-prompts'));
    expect(top.request.params.get('by')).toBe('fetches');
    expect(top.request.params.get('limit')).toBe('10');
    const breakdowns = backend.match(url('breakdown'));
    expect(
      breakdowns.map((r) => `${r.request.params.get('by')}/${r.request.params.get('metric')}`).sort(),
    ).toEqual(['model/cost', 'user/runs']);

    s.flush(summary({ runs: 3, costUsd: 1.5 }, { runs: 1 }));
    ts.flush({ interval: 'day', series: [] });
    top.flush({ items: [] });
    breakdowns.forEach((r) => r.flush({ items: [] }));
    await flushMicrotasks();
    TestBed.tick();
    expect(store.summary.value()?.runs).toBe(3);
    expect(store.empty()).toBe(false);
  });

  it('refetches only the panel whose choice changed', () => {
    const { store, backend } = setUp();
    const state = dashboardStateFromParams({}, NOW);
    store.state.set(state);
    TestBed.tick();
    answerAll(backend);
    TestBed.tick();

    store.state.set({ ...state, metric: 'tokens' });
    TestBed.tick();
    const ts = backend.expectOne(url('timeseries'));
    expect(ts.request.params.get('metric')).toBe('tokens');
    // No groupBy parameter without grouping.
    expect(ts.request.params.has('groupBy')).toBe(false);
    backend.expectNone(url('summary'));
    backend.expectNone(url('top-prompts'));
    backend.expectNone(url('breakdown'));
    ts.flush({ interval: 'day', series: [] });
  });

  it('asks the top prompts of a drilled-into bucket only', () => {
    const { store, backend } = setUp();
    const state = dashboardStateFromParams({}, NOW);
    store.state.set(state);
    TestBed.tick();
    answerAll(backend);
    TestBed.tick();

    store.state.set({ ...state, bucket: '2026-11-20' });
    TestBed.tick();
    const top = backend.expectOne(url('top-prompts'));
    expect(top.request.params.get('from')).toBe('2026-11-20T00:00:00.000Z');
    expect(top.request.params.get('to')).toBe('2026-11-21T00:00:00.000Z');
    backend.expectNone(url('summary'));
    top.flush({ items: [] });
  });

  it('is empty when every counter of the period is zero', async () => {
    const { store, backend } = setUp();
    store.state.set(dashboardStateFromParams({}, NOW));
    TestBed.tick();
    backend.expectOne(url('summary')).flush(summary({}, { runs: 4 }));
    backend.expectOne(url('timeseries')).flush({ interval: 'day', series: [] });
    backend.expectOne(url('top-prompts')).flush({ items: [] });
    backend.match(url('breakdown')).forEach((r) => r.flush({ items: [] }));
    await flushMicrotasks();
    TestBed.tick();
    expect(store.empty()).toBe(true);
  });

  it('downloads the report of the range with the name the server gives', async () => {
    const { store, backend } = setUp();
    store.state.set(dashboardStateFromParams({ range: '7d' }, NOW));
    TestBed.tick();
    answerAll(backend);

    const pending = store.export('csv');
    // One export at a time.
    expect(await store.export('pdf')).toBeNull();
    const req = backend.expectOne(url('report'));
    expect(req.request.params.get('format')).toBe('csv');
    expect(req.request.params.get('from')).toBe('2026-11-29T00:00:00.000Z');
    expect(req.request.params.get('to')).toBe('2026-12-06T00:00:00.000Z');
    expect(req.request.responseType).toBe('blob');
    req.flush(new Blob(['a,b\n']), {
      headers: { 'Content-Disposition': 'attachment; filename="usage.csv"' },
    });
    const file = await pending;
    expect(file?.filename).toBe('usage.csv');
    expect(store.exporting()).toBeNull();
  });

  it('keeps a failed export for the page to show', async () => {
    const { store, backend } = setUp();
    store.state.set(dashboardStateFromParams({}, NOW));
    TestBed.tick();
    answerAll(backend);
    const pending = store.export('pdf');
    backend.expectOne(url('report')).error(new ProgressEvent('error'));
    expect(await pending).toBeNull();
    await flushMicrotasks();
    expect(store.exportError()).toBeTruthy();
  });
});
