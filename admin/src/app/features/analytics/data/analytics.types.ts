/**
 * Shapes of the usage and analytics API (API-CONTRACT.md, "Usage and analytics"), written by
 * hand from the contract while the backend lands in parallel; at merge they may become aliases
 * of the generated `components['schemas']` types like the other features'.
 */

export type AnalyticsMetric = 'runs' | 'fetches' | 'tokens' | 'cost';
export type AnalyticsInterval = 'day' | 'week' | 'month';
export type AnalyticsGroupBy = 'model' | 'prompt' | 'category' | 'user';
export type TopPromptsBy = 'uses' | 'fetches' | 'cost';
export type BreakdownBy = 'model' | 'category' | 'collection' | 'user';
export type BreakdownMetric = 'cost' | 'tokens' | 'runs';
export type ReportFormat = 'csv' | 'pdf';

/** The counters of one period (`GET /analytics/summary`). */
export interface SummaryTotals {
  runs: number;
  fetches: number;
  renders: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  activeUsers: number;
  promptsCreated: number;
}

/** `GET /analytics/summary?from=&to=`: the period and the one of the same length before it. */
export interface AnalyticsSummary extends SummaryTotals {
  period: { from: string; to: string };
  previous: SummaryTotals;
}

export interface TimePoint {
  /** The start of the bucket, ISO 8601. */
  t: string;
  value: number;
}

export interface TimeSeries {
  /** The group's id (model name, prompt id, category id, user id) or `total` without groupBy. */
  key: string;
  label: string;
  points: TimePoint[];
}

/** `GET /analytics/timeseries`. */
export interface AnalyticsTimeseries {
  interval: AnalyticsInterval;
  series: TimeSeries[];
}

export interface TopPrompt {
  promptId: string;
  slug: string;
  title: string;
  value: number;
}

/** `GET /analytics/top-prompts`. */
export interface TopPrompts {
  items: TopPrompt[];
}

export interface BreakdownItem {
  key: string;
  label: string;
  value: number;
}

/** `GET /analytics/breakdown`. */
export interface Breakdown {
  items: BreakdownItem[];
}

/** `GET /prompts/:id/usage?from=&to=`: one prompt's usage, for every member who can see it. */
export interface PromptUsage {
  runs: number;
  fetches: number;
  costUsd: number;
  points: { t: string; runs: number; costUsd: number }[];
}

/** `PUT /budget` body. */
export interface BudgetSettings {
  /** US dollars per calendar month (UTC). */
  monthlyLimitUsd: number;
  /** Percentages of the limit (1..1000) that raise a warning once per month, ascending. */
  thresholds: number[];
  /** Refuse playground and API runs (403 `budget_exceeded`) once the month's budget is spent. */
  hardStop: boolean;
  /** E-mail last month's usage report (PDF) to the OWNERs on the 1st of each month. */
  monthlyReport: boolean;
}

/** `GET|PUT /budget`: the settings and this month's spending (no limit yet: null or 0). */
export interface Budget extends Omit<BudgetSettings, 'monthlyLimitUsd'> {
  monthlyLimitUsd: number | null;
  spentUsd: number;
  /** spentUsd as a percentage of the limit; null without a limit. */
  percent: number | null;
  /** The thresholds crossed this month. */
  crossed: number[];
}

/** `PUT /budget/collections/:collectionId` body. */
export interface CollectionBudgetSettings {
  /** US dollars per calendar month (UTC). */
  monthlyLimitUsd: number;
  /** Percentages of the limit (1..1000) that raise a warning once per month, ascending. */
  thresholds: number[];
  /** Refuse runs of the collection's prompts (403 `budget_exceeded`) once its budget is spent. */
  hardStop: boolean;
}

/** One item of `GET /budget/collections`: a collection's budget and this month's spending of its prompts. */
export interface CollectionBudget extends CollectionBudgetSettings {
  collectionId: string;
  collectionName: string;
  spentUsd: number;
  percent: number;
  crossed: number[];
}

/** A collection the budget dialog offers (`GET /collections`). */
export interface CollectionOption {
  id: string;
  name: string;
  parentId: string | null;
}
