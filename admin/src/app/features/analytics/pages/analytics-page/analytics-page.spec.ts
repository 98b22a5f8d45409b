import { ChangeDetectionStrategy, Component } from '@angular/core';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideCharts, withDefaultRegisterables } from 'ng2-charts';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { ChartPanel } from '../../components/chart-panel/chart-panel';
import { presetRange } from '../../data/dashboard-state';
import {
  analyticsProviders,
  settle,
  signIn,
  summary,
  verifyAndReset,
} from '../../testing/analytics-fixtures';
import { AnalyticsPage } from './analytics-page';

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class Blank {}

const api = (path: string) => (r: { url: string }) => r.url === `/api/v1/analytics/${path}`;
const P1 = '11111111-1111-4111-8111-111111111111';
const C1 = '22222222-2222-4222-8222-222222222222';

async function render(url = '/analytics') {
  // jsdom has no canvas: Chart.js is given no context and draws nothing (the tables show the data).
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  TestBed.configureTestingModule({
    providers: analyticsProviders([
      provideRouter([
        { path: 'analytics', component: AnalyticsPage },
        { path: 'prompts/:id', component: Blank },
        { path: '', component: Blank },
      ]),
      provideAppIcons(),
      provideCharts(withDefaultRegisterables()),
    ]),
  });
  const backend = signIn('ADMIN');
  const harness = await RouterTestingHarness.create();
  await harness.navigateByUrl(url, AnalyticsPage);
  await settle(harness.fixture);
  return { harness, backend, el: harness.routeNativeElement!, router: TestBed.inject(Router) };
}

function answer(backend: HttpTestingController, runs = 12) {
  backend
    .expectOne(api('summary'))
    .flush(summary({ runs, fetches: 40, costUsd: 3.5, inputTokens: 900, outputTokens: 100 }, { runs: 10 }));
  backend.expectOne(api('timeseries')).flush({
    interval: 'day',
    series: [{ key: 'gpt-4o', label: 'gpt-4o', points: [{ t: '2026-12-01T00:00:00.000Z', value: runs }] }],
  });
  backend
    .expectOne(api('top-prompts'))
    .flush({ items: [{ promptId: P1, slug: 'sum', title: 'Summarize', value: 9 }] });
  for (const r of backend.match(api('breakdown')))
    r.flush({
      items:
        r.request.params.get('by') === 'user'
          ? [{ key: 'u1', label: 'Ada', value: 12 }]
          : [{ key: 'gpt-4o', label: 'gpt-4o', value: 3.5 }],
    });
}

describe('AnalyticsPage', () => {
  afterEach(verifyAndReset);

  it('shows the totals with their change, and each chart as a table on demand', async () => {
    const { harness, backend, el } = await render();
    answer(backend);
    await settle(harness.fixture);

    const totals = getByRole(el, 'list', 'Totals for the period');
    expect(totals.textContent).toContain('Runs');
    expect(totals.textContent).toContain('+20% vs previous period');
    expect(totals.textContent).toContain('$3.50');
    expect(totals.textContent).toContain('1,000');

    const canvases = el.querySelectorAll('canvas[role="img"]');
    expect(canvases).toHaveLength(4);
    expect(canvases[0].getAttribute('aria-label')).toBe(
      'Runs over time: 12 in 1 buckets, highest Dec 1 (12)',
    );

    const toggles = queryAllByRole(el, 'radio', 'Table');
    expect(toggles).toHaveLength(4);
    toggles.forEach((t) => t.click());
    await settle(harness.fixture);
    expect(el.querySelectorAll('canvas')).toHaveLength(0);
    expect(getByRole(el, 'link', 'Summarize').getAttribute('href')).toBe(`/prompts/${P1}`);
    expect(el.textContent).toContain('gpt-4o');
    expect(el.textContent).toContain('100%');
  });

  it('puts a new range in the URL and reloads the panels for it', async () => {
    const { harness, backend, el, router } = await render('/analytics?range=7d');
    const first = backend.expectOne(api('summary'));
    expect(first.request.params.get('from')).toBe(`${presetRange('7d', new Date()).from}T00:00:00.000Z`);
    first.flush(summary({ runs: 1 }));
    backend.expectOne(api('timeseries')).flush({ interval: 'day', series: [] });
    backend.expectOne(api('top-prompts')).flush({ items: [] });
    backend.match(api('breakdown')).forEach((r) => r.flush({ items: [] }));
    await settle(harness.fixture);

    getByRole(el, 'radio', 'Last month').click();
    await settle(harness.fixture);
    expect(router.url).toBe('/analytics?range=last-month');
    const next = backend.expectOne(api('summary'));
    const lastMonth = presetRange('last-month', new Date());
    expect(next.request.params.get('from')).toBe(`${lastMonth.from}T00:00:00.000Z`);
    expect(next.request.params.get('to')).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
    next.flush(summary({ runs: 30 }));
    backend.expectOne(api('timeseries')).flush({ interval: 'day', series: [] });
    backend.expectOne(api('top-prompts')).flush({ items: [] });
    backend.match(api('breakdown')).forEach((r) => r.flush({ items: [] }));
    await settle(harness.fixture);
    expect(getByRole(el, 'list', 'Totals for the period').textContent).toContain('30');
  });

  it('drills down from the table: a bucket shows its top prompts; from a prompt segment: the prompt', async () => {
    const { harness, backend, el, router } = await render('/analytics?groupBy=prompt');
    backend.expectOne(api('summary')).flush(summary({ runs: 5 }));
    backend.expectOne(api('timeseries')).flush({
      interval: 'day',
      series: [{ key: P1, label: 'Summarize', points: [{ t: '2026-12-01T00:00:00.000Z', value: 5 }] }],
    });
    backend.expectOne(api('top-prompts')).flush({ items: [] });
    backend.match(api('breakdown')).forEach((r) => r.flush({ items: [] }));
    await settle(harness.fixture);

    queryAllByRole(el, 'radio', 'Table')[0].click();
    await settle(harness.fixture);
    getByRole(el, 'button', 'Top prompts of Dec 1').click();
    await settle(harness.fixture);
    expect(router.url).toBe('/analytics?groupBy=prompt&bucket=2026-12-01');
    const top = backend.expectOne(api('top-prompts'));
    expect(top.request.params.get('from')).toBe('2026-12-01T00:00:00.000Z');
    expect(top.request.params.get('to')).toBe('2026-12-02T00:00:00.000Z');
    top.flush({ items: [] });
    await settle(harness.fixture);
    expect(el.textContent).toContain('Top prompts · Dec 1');
    getByRole(el, 'button', 'Whole range').click();
    await settle(harness.fixture);
    expect(router.url).toBe('/analytics?groupBy=prompt');
    backend.expectOne(api('top-prompts')).flush({ items: [] });

    const panels = harness.fixture.debugElement.queryAll(By.directive(ChartPanel));
    (panels[0].componentInstance as ChartPanel).pick.emit({ index: 0, datasetIndex: 0 });
    await settle(harness.fixture);
    expect(router.url).toBe(`/prompts/${P1}`);
  });

  it('opens the library filtered by the clicked category; a model filters nothing', async () => {
    const { harness, backend, router } = await render('/analytics?by=category');
    backend.expectOne(api('summary')).flush(summary({ runs: 5 }));
    backend.expectOne(api('timeseries')).flush({ interval: 'day', series: [] });
    backend.expectOne(api('top-prompts')).flush({ items: [] });
    for (const r of backend.match(api('breakdown')))
      r.flush({
        items: [{ key: r.request.params.get('by') === 'user' ? 'u1' : C1, label: 'Support', value: 2 }],
      });
    await settle(harness.fixture);

    const panels = harness.fixture.debugElement.queryAll(By.directive(ChartPanel));
    // User activity: 'u1' is not an id the library can filter by, so nothing happens.
    (panels[3].componentInstance as ChartPanel).pick.emit({ index: 0, datasetIndex: 0 });
    await settle(harness.fixture);
    expect(router.url).toBe('/analytics?by=category');
    (panels[2].componentInstance as ChartPanel).pick.emit({ index: 0, datasetIndex: 0 });
    await settle(harness.fixture);
    expect(router.url).toBe(`/?category=${C1}`);
  });

  it('explains an organization without usage instead of empty charts', async () => {
    const { harness, backend, el } = await render();
    backend.expectOne(api('summary')).flush(summary());
    backend.expectOne(api('timeseries')).flush({ interval: 'day', series: [] });
    backend.expectOne(api('top-prompts')).flush({ items: [] });
    backend.match(api('breakdown')).forEach((r) => r.flush({ items: [] }));
    await settle(harness.fixture);
    expect(getByRole(el, 'heading', 'No usage in this period')).toBeTruthy();
    expect(el.querySelectorAll('pv-chart-panel')).toHaveLength(0);
    getByRole(el, 'button', 'Show the last 90 days').click();
    await settle(harness.fixture);
    expect(TestBed.inject(Router).url).toBe('/analytics?range=90d');
    answer(backend);
  });

  it('downloads the CSV report of the range', async () => {
    const createObjectURL = vi.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { harness, backend, el } = await render('/analytics?from=2026-11-01&to=2026-11-30');
    answer(backend);
    await settle(harness.fixture);

    getByRole(el, 'button', 'Export CSV').click();
    const req = backend.expectOne(api('report'));
    expect(req.request.params.get('format')).toBe('csv');
    expect(req.request.params.get('from')).toBe('2026-11-01T00:00:00.000Z');
    expect(req.request.params.get('to')).toBe('2026-12-01T00:00:00.000Z');
    req.flush(new Blob(['period,runs\n']), {
      headers: { 'Content-Disposition': 'attachment; filename="usage-2026-11.csv"' },
    });
    await settle(harness.fixture);
    expect(createObjectURL).toHaveBeenCalled();
    const anchor = click.mock.contexts[0] as HTMLAnchorElement;
    expect(anchor.download).toBe('usage-2026-11.csv');
  });
});
