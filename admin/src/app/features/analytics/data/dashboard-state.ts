import type { Params } from '@angular/router';
import type { Period } from './analytics.api';
import {
  AnalyticsGroupBy,
  AnalyticsInterval,
  AnalyticsMetric,
  BreakdownBy,
  BreakdownMetric,
  TopPromptsBy,
} from './analytics.types';

/**
 * The dashboard's view (range, interval, metric, grouping, the panels' choices and the drill-down
 * bucket) and its round trip through the URL's query parameters, so a view is a link that can be
 * shared and a reload restores it. Days are UTC calendar days, like the API's daily rollups.
 */
export type RangePreset = '7d' | '30d' | '90d' | 'this-month' | 'last-month' | 'custom';

export const RANGE_PRESETS: readonly { value: Exclude<RangePreset, 'custom'>; label: string }[] = [
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
];

export const METRICS: readonly { value: AnalyticsMetric; label: string }[] = [
  { value: 'runs', label: 'Runs' },
  { value: 'fetches', label: 'Fetches' },
  { value: 'tokens', label: 'Tokens' },
  { value: 'cost', label: 'Cost' },
];
export const INTERVALS: readonly { value: AnalyticsInterval; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];
export const GROUP_BYS: readonly { value: AnalyticsGroupBy; label: string }[] = [
  { value: 'model', label: 'Model' },
  { value: 'prompt', label: 'Prompt' },
  { value: 'category', label: 'Category' },
  { value: 'user', label: 'User' },
];
export const TOP_BYS: readonly { value: TopPromptsBy; label: string }[] = [
  { value: 'uses', label: 'Uses' },
  { value: 'fetches', label: 'Fetches' },
  { value: 'cost', label: 'Cost' },
];
export const BREAKDOWN_BYS: readonly { value: BreakdownBy; label: string }[] = [
  { value: 'model', label: 'Model' },
  { value: 'category', label: 'Category' },
  { value: 'collection', label: 'Collection' },
  { value: 'user', label: 'User' },
];
export const BREAKDOWN_METRICS: readonly { value: BreakdownMetric; label: string }[] = [
  { value: 'cost', label: 'Cost' },
  { value: 'tokens', label: 'Tokens' },
  { value: 'runs', label: 'Runs' },
];

/** The longest range the API answers (a longer one is a 400). */
export const MAX_SPAN_DAYS = 400;
export const DEFAULT_PRESET = '30d';

export interface DashboardState {
  preset: RangePreset;
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  to: string;
  interval: AnalyticsInterval;
  /** Whether the interval was chosen (in the URL) rather than derived from the range's length. */
  intervalChosen: boolean;
  metric: AnalyticsMetric;
  groupBy: AnalyticsGroupBy | null;
  topBy: TopPromptsBy;
  breakdownBy: BreakdownBy;
  breakdownMetric: BreakdownMetric;
  /** Drill-down: the start day of the time bucket whose top prompts are shown, or null for the range. */
  bucket: string | null;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a Date in UTC. */
export function isoDay(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The UTC midnight of a `YYYY-MM-DD`, or null when it is not a real date. */
export function parseDay(value: string | null | undefined): Date | null {
  if (!value || !DAY.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return isoDay(date) === value ? date : null;
}

export function addDays(day: string, days: number): string {
  const date = parseDay(day);
  if (!date) throw new Error(`Not a day: ${day}`);
  return isoDay(new Date(date.getTime() + days * DAY_MS));
}

/** Days from `from` to `to`, both included. */
export function spanDays(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return 0;
  return Math.round((b.getTime() - a.getTime()) / DAY_MS) + 1;
}

/** The days of a preset relative to `now` (the last N days end today). */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now: Date): { from: string; to: string } {
  const today = isoDay(now);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case 'this-month':
      return { from: isoDay(new Date(Date.UTC(y, m, 1))), to: today };
    case 'last-month':
      return { from: isoDay(new Date(Date.UTC(y, m - 1, 1))), to: isoDay(new Date(Date.UTC(y, m, 0))) };
  }
}

/** Day buckets up to a month, weeks up to half a year, months beyond. */
export function defaultInterval(from: string, to: string): AnalyticsInterval {
  const days = spanDays(from, to);
  if (days <= 31) return 'day';
  if (days <= 183) return 'week';
  return 'month';
}

/** The API's period: from the first day's midnight to the midnight after the last day (exclusive). */
export function periodOf(range: { from: string; to: string }): Period {
  return { from: `${range.from}T00:00:00.000Z`, to: `${addDays(range.to, 1)}T00:00:00.000Z` };
}

/** The period of one time bucket (`t` its start), cut to the range so a partial week stays partial. */
export function bucketPeriod(
  bucket: string,
  interval: AnalyticsInterval,
  range: { from: string; to: string },
): Period {
  const start = parseDay(bucket.slice(0, 10));
  if (!start) throw new Error(`Not a bucket: ${bucket}`);
  const end =
    interval === 'day'
      ? new Date(start.getTime() + DAY_MS)
      : interval === 'week'
        ? new Date(start.getTime() + 7 * DAY_MS)
        : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const full = periodOf(range);
  const from = start.toISOString() < full.from ? full.from : start.toISOString();
  const to = end.toISOString() > full.to ? full.to : end.toISOString();
  return { from, to };
}

function first(params: Params, key: string): string | null {
  const value: unknown = params[key];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
  return typeof value === 'string' ? value : null;
}

function oneOf<T extends string>(options: readonly { value: T }[], raw: string | null, fallback: T): T {
  return options.some((o) => o.value === raw) ? (raw as T) : fallback;
}

/**
 * Query parameters → view. A known preset (`range=7d`) is recomputed from today; a custom range
 * (`from`, `to`) must be real days in order, not in the future and at most MAX_SPAN_DAYS long;
 * anything else falls back to the defaults, so an old or edited link still opens a dashboard.
 */
export function dashboardStateFromParams(params: Params, now: Date): DashboardState {
  const rawRange = first(params, 'range');
  const today = isoDay(now);
  let preset: RangePreset = DEFAULT_PRESET;
  let range = presetRange(DEFAULT_PRESET, now);
  const from = first(params, 'from');
  const to = first(params, 'to');
  if (RANGE_PRESETS.some((p) => p.value === rawRange)) {
    preset = rawRange as Exclude<RangePreset, 'custom'>;
    range = presetRange(preset, now);
  } else if (parseDay(from) && parseDay(to) && from! <= to! && to! <= today) {
    if (spanDays(from!, to!) <= MAX_SPAN_DAYS) {
      preset = 'custom';
      range = { from: from!, to: to! };
    }
  }
  const rawInterval = first(params, 'interval');
  const intervalChosen = INTERVALS.some((i) => i.value === rawInterval);
  const rawGroup = first(params, 'groupBy');
  const rawBucket = first(params, 'bucket');
  return {
    preset,
    ...range,
    interval: intervalChosen ? (rawInterval as AnalyticsInterval) : defaultInterval(range.from, range.to),
    intervalChosen,
    metric: oneOf(METRICS, first(params, 'metric'), 'runs'),
    groupBy: GROUP_BYS.some((g) => g.value === rawGroup) ? (rawGroup as AnalyticsGroupBy) : null,
    topBy: oneOf(TOP_BYS, first(params, 'top'), 'uses'),
    breakdownBy: oneOf(BREAKDOWN_BYS, first(params, 'by'), 'model'),
    breakdownMetric: oneOf(BREAKDOWN_METRICS, first(params, 'byMetric'), 'cost'),
    bucket: parseDay(rawBucket) && rawBucket! >= range.from && rawBucket! <= range.to ? rawBucket : null,
  };
}

/** View → query parameters; defaults are left out so links stay short. */
export function dashboardStateToParams(state: DashboardState): Params {
  const params: Params = {};
  if (state.preset === 'custom') {
    params['from'] = state.from;
    params['to'] = state.to;
  } else if (state.preset !== DEFAULT_PRESET) {
    params['range'] = state.preset;
  }
  if (state.intervalChosen) params['interval'] = state.interval;
  if (state.metric !== 'runs') params['metric'] = state.metric;
  if (state.groupBy) params['groupBy'] = state.groupBy;
  if (state.topBy !== 'uses') params['top'] = state.topBy;
  if (state.breakdownBy !== 'model') params['by'] = state.breakdownBy;
  if (state.breakdownMetric !== 'cost') params['byMetric'] = state.breakdownMetric;
  if (state.bucket) params['bucket'] = state.bucket;
  return params;
}

/** A new range: a preset or custom days. The drill-down bucket belongs to the old range and goes. */
export function withRange(
  state: DashboardState,
  change: { preset: Exclude<RangePreset, 'custom'> } | { from: string; to: string },
  now: Date,
): DashboardState {
  const range =
    'preset' in change
      ? { preset: change.preset as RangePreset, ...presetRange(change.preset, now) }
      : { preset: 'custom' as RangePreset, from: change.from, to: change.to };
  return {
    ...state,
    ...range,
    interval: state.intervalChosen ? state.interval : defaultInterval(range.from, range.to),
    bucket: null,
  };
}

/** Why a custom range cannot be used, or null when it can. */
export function rangeError(from: string | null, to: string | null, now: Date): string | null {
  if (!parseDay(from) || !parseDay(to)) return 'Choose a start and an end day';
  if (from! > to!) return 'The start must be before the end';
  if (to! > isoDay(now)) return 'The range cannot end in the future';
  if (spanDays(from!, to!) > MAX_SPAN_DAYS) return `Choose at most ${MAX_SPAN_DAYS} days`;
  return null;
}
