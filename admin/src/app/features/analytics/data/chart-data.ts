import type { ChartData, ChartOptions } from 'chart.js';
import {
  AnalyticsInterval,
  AnalyticsMetric,
  AnalyticsTimeseries,
  BreakdownItem,
  BreakdownMetric,
} from './analytics.types';
import { formatUsd } from './format';

/**
 * From API answers to Chart.js data and options, and to the tables shown instead of (or beside)
 * each chart. Pure functions: the components only bind what these return. Only types come from
 * chart.js here, so this file adds nothing to a bundle by itself.
 */

export type ColorScheme = 'light' | 'dark';

/** Series colours with enough contrast on the Material surface of each scheme. */
const PALETTES: Record<ColorScheme, readonly string[]> = {
  light: [
    '#3f51b5',
    '#e65100',
    '#00897b',
    '#c2185b',
    '#6d4c41',
    '#5e35b1',
    '#2e7d32',
    '#0277bd',
    '#9e9d24',
    '#546e7a',
  ],
  dark: [
    '#9fa8da',
    '#ffb74d',
    '#4db6ac',
    '#f48fb1',
    '#bcaaa4',
    '#b39ddb',
    '#81c784',
    '#4fc3f7',
    '#dce775',
    '#b0bec5',
  ],
};

const INK: Record<ColorScheme, { text: string; grid: string; surface: string }> = {
  light: { text: '#44474f', grid: 'rgba(0, 0, 0, 0.08)', surface: '#ffffff' },
  dark: { text: '#c4c6d0', grid: 'rgba(255, 255, 255, 0.12)', surface: '#1b1b1f' },
};

export function seriesColor(index: number, scheme: ColorScheme): string {
  const palette = PALETTES[scheme];
  return palette[index % palette.length];
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export { formatUsd };

/** A metric's value as people read it: dollars, compact token counts, whole counts. */
export function formatMetric(value: number, metric: AnalyticsMetric | BreakdownMetric | 'uses'): string {
  if (metric === 'cost') return formatUsd(value);
  if (metric === 'tokens') return Math.abs(value) >= 10_000 ? compact.format(value) : whole.format(value);
  return whole.format(value);
}

export interface Change {
  /** Percent change against the previous period, or null when the previous period was zero. */
  percent: number | null;
  direction: 'up' | 'down' | 'flat';
  /** "+12% vs previous period", "New this period", "No change". */
  text: string;
}

export function changeVsPrevious(current: number, previous: number): Change {
  if (current === previous) return { percent: 0, direction: 'flat', text: 'No change vs previous period' };
  const direction = current > previous ? 'up' : 'down';
  if (previous === 0) return { percent: null, direction, text: 'New this period' };
  const percent = Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
  const sign = percent > 0 ? '+' : '';
  return { percent, direction, text: `${sign}${percent}% vs previous period` };
}

/** The label of a bucket starting at `t` (ISO), as the interval reads: "Dec 3", "Week of Dec 1", "Dec 2026". */
export function bucketLabel(t: string, interval: AnalyticsInterval): string {
  const date = new Date(t);
  if (interval === 'month')
    return date.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const day = date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return interval === 'week' ? `Week of ${day}` : day;
}

export interface TimeseriesView {
  /** Bucket starts (ISO), ascending: the x axis; a click's index maps back to one. */
  buckets: string[];
  data: ChartData<'bar', number[], string>;
  /** The table fallback: one row per bucket, one value per series (same order as `columns`). */
  columns: { key: string; label: string }[];
  rows: { bucket: string; label: string; values: number[]; total: number }[];
}

/**
 * Series → stacked bars: the x axis is the union of every series' buckets (a group without usage
 * in a bucket counts 0 there), series keep the API's order (largest first).
 */
export function timeseriesView(ts: AnalyticsTimeseries, scheme: ColorScheme): TimeseriesView {
  const buckets = [...new Set(ts.series.flatMap((s) => s.points.map((p) => p.t)))].sort();
  const index = new Map(buckets.map((b, i) => [b, i]));
  const values = ts.series.map((s) => {
    const row = new Array<number>(buckets.length).fill(0);
    for (const p of s.points) row[index.get(p.t)!] += p.value;
    return row;
  });
  const labels = buckets.map((b) => bucketLabel(b, ts.interval));
  return {
    buckets,
    data: {
      labels,
      datasets: ts.series.map((s, i) => ({
        label: s.label,
        data: values[i],
        backgroundColor: seriesColor(i, scheme),
        borderColor: seriesColor(i, scheme),
        stack: 'usage',
      })),
    },
    columns: ts.series.map((s) => ({ key: s.key, label: s.label })),
    rows: buckets.map((bucket, b) => {
      const row = values.map((v) => v[b]);
      return { bucket, label: labels[b], values: row, total: row.reduce((a, v) => a + v, 0) };
    }),
  };
}

export interface BreakdownView {
  data: ChartData<'doughnut', number[], string>;
  rows: (BreakdownItem & { share: number })[];
  total: number;
}

/** Breakdown items (largest first) → a doughnut and its table, with each item's share of the total (percent, one decimal). */
export function breakdownView(unsorted: readonly BreakdownItem[], scheme: ColorScheme): BreakdownView {
  const items = [...unsorted].sort((a, b) => b.value - a.value);
  const total = items.reduce((sum, item) => sum + item.value, 0);
  return {
    data: {
      labels: items.map((i) => i.label),
      datasets: [
        {
          data: items.map((i) => i.value),
          backgroundColor: items.map((_, i) => seriesColor(i, scheme)),
          borderColor: INK[scheme].surface,
        },
      ],
    },
    rows: items.map((item) => ({
      ...item,
      share: total > 0 ? Math.round((item.value / total) * 1000) / 10 : 0,
    })),
    total,
  };
}

function baseOptions(scheme: ColorScheme, format: (value: number) => string) {
  const ink = INK[scheme];
  return {
    responsive: true,
    maintainAspectRatio: false,
    color: ink.text,
    plugins: {
      legend: { labels: { color: ink.text, boxWidth: 12 } },
      tooltip: {
        callbacks: {
          label: (item: { dataset: { label?: string }; label: string; parsed: unknown }) => {
            const parsed = item.parsed;
            const value = typeof parsed === 'number' ? parsed : ((parsed as { y?: number } | null)?.y ?? 0);
            return `${item.dataset.label ?? item.label}: ${format(value)}`;
          },
        },
      },
    },
  };
}

/** Stacked bars themed for the scheme, the y axis in the metric's unit. */
export function timeseriesOptions(scheme: ColorScheme, metric: AnalyticsMetric): ChartOptions<'bar'> {
  const ink = INK[scheme];
  const format = (value: number) => formatMetric(value, metric);
  const base = baseOptions(scheme, format);
  return {
    ...base,
    plugins: { ...base.plugins, legend: { ...base.plugins.legend, position: 'bottom' } },
    scales: {
      x: { stacked: true, ticks: { color: ink.text }, grid: { color: ink.grid } },
      y: {
        stacked: true,
        beginAtZero: true,
        ticks: { color: ink.text, callback: (value) => format(Number(value)) },
        grid: { color: ink.grid },
      },
    },
  };
}

export function breakdownOptions(scheme: ColorScheme, metric: BreakdownMetric): ChartOptions<'doughnut'> {
  const base = baseOptions(scheme, (value) => formatMetric(value, metric));
  return {
    ...base,
    plugins: { ...base.plugins, legend: { ...base.plugins.legend, position: 'right' } },
  };
}

/** One sentence for a chart's aria-label: what it shows and its largest part. */
export function describeTimeseries(
  view: TimeseriesView,
  metric: AnalyticsMetric,
  groupLabel: string | null,
): string {
  const what = `${metric === 'cost' ? 'Cost' : metric[0].toUpperCase() + metric.slice(1)} over time`;
  if (view.rows.length === 0) return `${what}: no data`;
  const total = view.rows.reduce((sum, r) => sum + r.total, 0);
  const peak = view.rows.reduce((a, b) => (b.total > a.total ? b : a));
  const grouped = groupLabel ? ` by ${groupLabel.toLowerCase()}, ${view.columns.length} series` : '';
  return `${what}${grouped}: ${formatMetric(total, metric)} in ${view.rows.length} buckets, highest ${peak.label} (${formatMetric(peak.total, metric)})`;
}

export function describeBreakdown(view: BreakdownView, metric: BreakdownMetric, byLabel: string): string {
  const what = `${metric === 'cost' ? 'Cost' : metric[0].toUpperCase() + metric.slice(1)} by ${byLabel.toLowerCase()}`;
  if (view.rows.length === 0) return `${what}: no data`;
  const top = view.rows[0];
  return `${what}: ${formatMetric(view.total, metric)} in total, largest ${top.label} (${top.share}%)`;
}

export interface RankedView {
  data: ChartData<'bar', number[], string>;
  rows: { key: string; label: string; value: number }[];
}

/** A ranked list (top prompts, user activity) → horizontal bars, largest first, and its table. */
export function rankedView(
  items: readonly { key: string; label: string; value: number }[],
  seriesLabel: string,
  scheme: ColorScheme,
): RankedView {
  const rows = [...items].sort((a, b) => b.value - a.value);
  return {
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: seriesLabel, data: rows.map((r) => r.value), backgroundColor: seriesColor(0, scheme) },
      ],
    },
    rows,
  };
}

export function rankedOptions(
  scheme: ColorScheme,
  metric: AnalyticsMetric | BreakdownMetric | 'uses',
): ChartOptions<'bar'> {
  const ink = INK[scheme];
  const format = (value: number) => formatMetric(value, metric);
  const base = baseOptions(scheme, format);
  return {
    ...base,
    indexAxis: 'y',
    plugins: { ...base.plugins, legend: { display: false } },
    scales: {
      x: {
        beginAtZero: true,
        ticks: { color: ink.text, callback: (value) => format(Number(value)) },
        grid: { color: ink.grid },
      },
      y: { ticks: { color: ink.text }, grid: { display: false } },
    },
  };
}
