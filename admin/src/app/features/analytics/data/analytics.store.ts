import { computed, inject, Injectable, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';
import { SessionStore } from '../../../core/session/session.store';
import { AnalyticsApi } from './analytics.api';
import { ReportFormat } from './analytics.types';
import { bucketPeriod, DashboardState, periodOf } from './dashboard-state';

/** A computed compared by value (plain JSON data), so an equal query does not notify. */
function byValue<T>(compute: () => T) {
  return computed(compute, { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
}

/** How many prompts the top-prompts panel lists. */
export const TOP_LIMIT = 10;

/**
 * The dashboard's data for the view in `state` (which the page takes from the URL): each panel
 * is a resource that reloads only when what it depends on changes (changing the metric refetches
 * the time series alone), and a newer view cancels the answers of an older one. Provided by the
 * page. OWNER and ADMIN only (the route checks `read Analytics`).
 */
@Injectable()
export class AnalyticsStore {
  private readonly api = inject(AnalyticsApi);
  private readonly session = inject(SessionStore);

  readonly state = signal<DashboardState | null>(null);

  /** The organization is part of every key: switching organizations reloads everything. */
  private readonly org = computed(() => this.session.organizationId());

  /**
   * What each panel's request depends on, compared by value: a panel reloads only when its own
   * query changes (a new metric refetches the time series alone).
   */
  private readonly summaryQuery = byValue(() => {
    const s = this.state();
    const org = this.org();
    return s && org ? { org, period: periodOf(s) } : undefined;
  });

  private readonly timeseriesQuery = byValue(() => {
    const s = this.state();
    const org = this.org();
    if (!s || !org) return undefined;
    return { org, period: periodOf(s), metric: s.metric, interval: s.interval, groupBy: s.groupBy };
  });

  /** The period the top-prompts panel shows: the drilled-into bucket, else the whole range. */
  private readonly topQuery = byValue(() => {
    const s = this.state();
    const org = this.org();
    if (!s || !org) return undefined;
    return { org, period: s.bucket ? bucketPeriod(s.bucket, s.interval, s) : periodOf(s), by: s.topBy };
  });

  private readonly breakdownQuery = byValue(() => {
    const s = this.state();
    const org = this.org();
    if (!s || !org) return undefined;
    return { org, period: periodOf(s), by: s.breakdownBy, metric: s.breakdownMetric };
  });

  readonly summary = rxResource({
    params: () => this.summaryQuery(),
    stream: ({ params }) => this.api.summary(params.period),
  });

  readonly timeseries = rxResource({
    params: () => this.timeseriesQuery(),
    stream: ({ params: { period, metric, interval, groupBy } }) =>
      this.api.timeseries(period, { metric, interval, groupBy }),
  });

  readonly topPrompts = rxResource({
    params: () => this.topQuery(),
    stream: ({ params: { period, by } }) => this.api.topPrompts(period, by, TOP_LIMIT),
  });

  readonly breakdown = rxResource({
    params: () => this.breakdownQuery(),
    stream: ({ params: { period, by, metric } }) => this.api.breakdown(period, by, metric),
  });

  /** User activity: runs per member in the range. */
  readonly userActivity = rxResource({
    params: () => this.summaryQuery(),
    stream: ({ params }) => this.api.breakdown(params.period, 'user', 'runs'),
  });

  /**
   * Nothing at all happened in the range: every counter of the summary is zero. The page then
   * shows one explanation instead of a wall of empty charts.
   */
  readonly empty = computed(() => {
    if (!this.summary.hasValue()) return false;
    const s = this.summary.value();
    return (
      s.runs === 0 &&
      s.fetches === 0 &&
      s.renders === 0 &&
      s.inputTokens === 0 &&
      s.outputTokens === 0 &&
      s.costUsd === 0 &&
      s.activeUsers === 0 &&
      s.promptsCreated === 0
    );
  });

  readonly exporting = signal<ReportFormat | null>(null);
  readonly exportError = signal<unknown>(null);

  /** The range's report as a file and its name (from Content-Disposition), for the page to save. */
  async export(format: ReportFormat): Promise<{ blob: Blob; filename: string } | null> {
    const s = this.state();
    if (!s || this.exporting()) return null;
    this.exporting.set(format);
    this.exportError.set(null);
    try {
      const response = await firstValueFrom(this.api.report(periodOf(s), format));
      if (!response.body) throw new Error('The report ended without a file');
      const disposition = response.headers.get('Content-Disposition') ?? '';
      const filename =
        /filename="([^"]+)"/.exec(disposition)?.[1] ?? `prompt-vault-usage-${s.from}-${s.to}.${format}`;
      return { blob: response.body, filename };
    } catch (error) {
      this.exportError.set(error);
      return null;
    } finally {
      this.exporting.set(null);
    }
  }
}
