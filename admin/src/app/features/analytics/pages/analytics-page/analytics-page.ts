import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { ThemeService } from '../../../../core/theme/theme.service';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { ChartPanel, ChartPick } from '../../components/chart-panel/chart-panel';
import { PanelSelect } from '../../components/panel-select/panel-select';
import { RangeChange, RangePicker } from '../../components/range-picker/range-picker';
import { TotalsCards } from '../../components/totals-cards/totals-cards';
import { AnalyticsStore } from '../../data/analytics.store';
import { ReportFormat } from '../../data/analytics.types';
import {
  breakdownOptions,
  breakdownView,
  bucketLabel,
  describeBreakdown,
  describeTimeseries,
  formatMetric,
  rankedOptions,
  rankedView,
  timeseriesOptions,
  timeseriesView,
} from '../../data/chart-data';
import {
  BREAKDOWN_BYS,
  BREAKDOWN_METRICS,
  DashboardState,
  dashboardStateFromParams,
  dashboardStateToParams,
  GROUP_BYS,
  INTERVALS,
  METRICS,
  TOP_BYS,
  withRange,
} from '../../data/dashboard-state';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GENERIC_FAILURE = 'This could not be loaded. Please try again.';

/** Where a click on a group opens the prompts behind it: the library filtered by that group. */
const LIBRARY_FILTER: Partial<Record<string, string>> = {
  category: 'category',
  collection: 'collection',
  user: 'author',
};

/**
 * `/analytics` (OWNER, ADMIN): the organization's usage for a range — totals against the previous
 * period, usage over time, top prompts, cost and tokens by model/category/collection/user and
 * user activity — with CSV and PDF reports. The whole view lives in the URL's query parameters;
 * clicking a bar or a segment opens the prompts behind it.
 */
@Component({
  selector: 'pv-analytics-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Skeleton,
    RouterLink,
    MatButton,
    EmptyState,
    ChartPanel,
    PanelSelect,
    RangePicker,
    TotalsCards,
  ],
  providers: [AnalyticsStore],
  templateUrl: './analytics-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './analytics-page.scss'],
})
export class AnalyticsPage {
  protected readonly store = inject(AnalyticsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly theme = inject(ThemeService);

  protected readonly now = new Date();
  protected readonly metrics = METRICS;
  protected readonly intervals = INTERVALS;
  protected readonly groupBys = GROUP_BYS;
  protected readonly topBys = TOP_BYS;
  protected readonly breakdownBys = BREAKDOWN_BYS;
  protected readonly breakdownMetrics = BREAKDOWN_METRICS;
  protected readonly format = formatMetric;

  private readonly params = toSignal(this.route.queryParams, { requireSync: true });
  protected readonly state = computed(() => dashboardStateFromParams(this.params(), this.now));
  private readonly scheme = this.theme.scheme;

  protected readonly series = computed(() =>
    this.store.timeseries.hasValue() ? timeseriesView(this.store.timeseries.value(), this.scheme()) : null,
  );
  protected readonly seriesOptions = computed(() => timeseriesOptions(this.scheme(), this.state().metric));
  protected readonly seriesDescription = computed(() => {
    const view = this.series();
    const group = GROUP_BYS.find((g) => g.value === this.state().groupBy)?.label ?? null;
    return view ? describeTimeseries(view, this.state().metric, group) : 'Usage over time';
  });

  protected readonly top = computed(() =>
    this.store.topPrompts.hasValue()
      ? rankedView(
          this.store.topPrompts
            .value()
            .items.map((p) => ({ key: p.promptId, label: p.title, value: p.value })),
          this.label(TOP_BYS, this.state().topBy),
          this.scheme(),
        )
      : null,
  );
  protected readonly topOptions = computed(() =>
    rankedOptions(this.scheme(), this.state().topBy === 'cost' ? 'cost' : 'runs'),
  );
  protected readonly topMetric = computed(() => (this.state().topBy === 'cost' ? 'cost' : 'runs'));
  protected readonly bucketText = computed(() => {
    const s = this.state();
    return s.bucket ? bucketLabel(`${s.bucket}T00:00:00.000Z`, s.interval) : null;
  });

  protected readonly breakdown = computed(() =>
    this.store.breakdown.hasValue() ? breakdownView(this.store.breakdown.value().items, this.scheme()) : null,
  );
  protected readonly breakdownOptions = computed(() =>
    breakdownOptions(this.scheme(), this.state().breakdownMetric),
  );
  protected readonly breakdownDescription = computed(() => {
    const view = this.breakdown();
    const by = this.label(BREAKDOWN_BYS, this.state().breakdownBy);
    return view ? describeBreakdown(view, this.state().breakdownMetric, by) : `Breakdown by ${by}`;
  });
  protected readonly breakdownDrills = computed(() => this.state().breakdownBy in LIBRARY_FILTER);

  protected readonly users = computed(() =>
    this.store.userActivity.hasValue()
      ? rankedView(this.store.userActivity.value().items, 'Runs', this.scheme())
      : null,
  );
  protected readonly usersOptions = computed(() => rankedOptions(this.scheme(), 'runs'));
  protected readonly usersDescription = computed(() => {
    const view = this.users();
    if (!view || view.rows.length === 0) return 'User activity: no data';
    const top = view.rows[0];
    return `Runs per member: ${view.rows.length} members, most active ${top.label} (${top.value} runs)`;
  });

  protected readonly rangeText = computed(() => {
    const s = this.state();
    return s.from === s.to ? s.from : `${s.from} – ${s.to}`;
  });

  constructor() {
    effect(() => this.store.state.set(this.state()));
  }

  protected label<T extends string>(
    options: readonly { value: T; label: string }[],
    value: T | null,
  ): string {
    return options.find((o) => o.value === value)?.label ?? '';
  }

  protected failure(error: unknown): string | null {
    return error ? describeFailure(error, {}, GENERIC_FAILURE) : null;
  }

  /** Replaces the view; the URL is the source of truth, so this navigates (one history entry). */
  protected go(next: DashboardState): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: dashboardStateToParams(next) });
  }

  protected set<K extends keyof DashboardState>(key: K, value: DashboardState[K]): void {
    const next = { ...this.state(), [key]: value };
    if (key === 'interval') next.intervalChosen = true;
    // A bucket is a day of the old interval's grid.
    if (key === 'interval') next.bucket = null;
    this.go(next);
  }

  protected changeRange(change: RangeChange): void {
    this.go(withRange(this.state(), change, this.now));
  }

  protected clearBucket(): void {
    this.go({ ...this.state(), bucket: null });
  }

  /**
   * A bar of the time series: a prompt's segment opens that prompt, a category's or a user's
   * the library filtered by it; otherwise (a model, or no grouping) the top prompts of that bucket.
   */
  protected seriesPick({ index, datasetIndex }: ChartPick): void {
    const view = this.series();
    const bucket = view?.buckets[index];
    if (!view || !bucket) return;
    const key = view.columns[datasetIndex]?.key;
    const groupBy = this.state().groupBy;
    if (key && UUID.test(key)) {
      if (groupBy === 'prompt') {
        void this.router.navigate(['/prompts', key]);
        return;
      }
      const filter = groupBy ? LIBRARY_FILTER[groupBy] : undefined;
      if (filter) {
        void this.router.navigate(['/'], { queryParams: { [filter]: key } });
        return;
      }
    }
    this.drillBucket(bucket);
  }

  /** The top prompts of one time bucket (from a bar, or from a row of the table). */
  protected drillBucket(bucket: string): void {
    this.go({ ...this.state(), bucket: bucket.slice(0, 10) });
  }

  protected topPick({ index }: ChartPick): void {
    const row = this.top()?.rows[index];
    if (row) void this.router.navigate(['/prompts', row.key]);
  }

  protected breakdownPick({ index }: ChartPick): void {
    const row = this.breakdown()?.rows[index];
    const filter = LIBRARY_FILTER[this.state().breakdownBy];
    if (row && filter && UUID.test(row.key))
      void this.router.navigate(['/'], { queryParams: { [filter]: row.key } });
  }

  protected userPick({ index }: ChartPick): void {
    const row = this.users()?.rows[index];
    if (row && UUID.test(row.key)) void this.router.navigate(['/'], { queryParams: { author: row.key } });
  }

  /** The library link of a breakdown row, or null when its group cannot filter the library (models). */
  protected libraryLink(by: string, key: string): Record<string, string> | null {
    const filter = LIBRARY_FILTER[by];
    return filter && UUID.test(key) ? { [filter]: key } : null;
  }

  protected async download(format: ReportFormat): Promise<void> {
    const file = await this.store.export(format);
    if (!file) return;
    const url = URL.createObjectURL(file.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
