import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException } from '../../common/errors/domain.exception';
import { PromptAccess } from '../prompts/prompt-access.service';
import { AnalyticsRepository, Dimension, Range, TotalsRow } from './analytics.repository';
import {
  BreakdownQueryDto,
  BreakdownResponseDto,
  MAX_RANGE_DAYS,
  PromptUsageResponseDto,
  RangeQueryDto,
  SeriesDto,
  SummaryResponseDto,
  TimeseriesQueryDto,
  TimeseriesResponseDto,
  TopPromptsQueryDto,
  TopPromptsResponseDto,
  UsageTotalsDto,
} from './dto/analytics.dto';

const DAY_MS = 86_400_000;
/** Series kept by name in a grouped time series; the rest are summed as `other`. */
export const MAX_SERIES = 10;

/** The organization queries run for (a member, or the monthly report job). */
export type OrgScope = Pick<Caller, 'organizationId'>;

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

/** The period of a query: defaults, from < to, at most MAX_RANGE_DAYS (400 naming the field). */
export function resolveRange(q: RangeQueryDto, now = new Date()): Range {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw invalid('to', 'to must be after from');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw invalid('from', `the period must not be longer than ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

/** Start (UTC) of the day, ISO week (Monday) or month containing `d`. */
export function truncate(d: Date, unit: 'day' | 'week' | 'month'): Date {
  if (unit === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  if (unit === 'day') return day;
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
}

/** Every interval start from the one containing `from` to the last before `to`. */
export function intervalStarts(range: Range, unit: 'day' | 'week' | 'month'): Date[] {
  const out: Date[] = [];
  for (let t = truncate(range.from, unit); t < range.to;) {
    out.push(t);
    t =
      unit === 'month'
        ? new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1))
        : new Date(t.getTime() + (unit === 'week' ? 7 : 1) * DAY_MS);
  }
  return out;
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

const NO_LABEL: Record<Dimension, string> = {
  model: 'No model',
  prompt: 'Other prompts',
  category: 'Uncategorized',
  collection: 'No collection',
  user: 'No user (system)',
};

/**
 * Organization analytics (OWNER, ADMIN) and one prompt's usage (any member who sees it), read
 * from the rollups (docs/analytics.md, "Queries").
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly access: PromptAccess,
  ) {}

  async summary(caller: OrgScope, q: RangeQueryDto): Promise<SummaryResponseDto> {
    const range = resolveRange(q);
    const span = range.to.getTime() - range.from.getTime();
    const previous = { from: new Date(range.from.getTime() - span), to: range.from };
    return {
      period: { from: range.from.toISOString(), to: range.to.toISOString() },
      ...(await this.totals(caller.organizationId, range)),
      previous: await this.totals(caller.organizationId, previous),
    };
  }

  private async totals(organizationId: string, range: Range): Promise<UsageTotalsDto> {
    const t: TotalsRow = await this.repo.totals(organizationId, range);
    return {
      runs: t.runs,
      fetches: t.fetches,
      renders: t.renders,
      inputTokens: t.input_tokens,
      outputTokens: t.output_tokens,
      costUsd: round(t.cost_usd, 6),
      costUnknown: t.cost_unknown,
      activeUsers: t.active_users,
      promptsCreated: t.prompts_created,
    };
  }

  async timeseries(caller: OrgScope, q: TimeseriesQueryDto): Promise<TimeseriesResponseDto> {
    const range = resolveRange(q);
    const interval = q.interval ?? 'day';
    const by = q.groupBy ?? null;
    const rows = await this.repo.series(caller.organizationId, range, q.metric, interval, by);
    const starts = intervalStarts(range, interval);
    const index = new Map(starts.map((t, i) => [t.getTime(), i]));
    const totals = new Map<string, { label: string; total: number }>();
    for (const r of rows) {
      const e = totals.get(r.key) ?? { label: r.label, total: 0 };
      e.total += r.value;
      totals.set(r.key, e);
    }
    const ranked = [...totals.entries()].sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]));
    const kept = new Set(ranked.slice(0, MAX_SERIES).map(([k]) => k));
    const series = new Map<string, SeriesDto>();
    const seriesFor = (key: string, label: string) => {
      let s = series.get(key);
      if (!s) {
        s = { key, label, points: starts.map((t) => ({ t: t.toISOString(), value: 0 })) };
        series.set(key, s);
      }
      return s;
    };
    if (!by) seriesFor('total', 'Total');
    for (const [key, e] of ranked.filter(([k]) => kept.has(k)))
      seriesFor(by ? key : 'total', by ? e.label || NO_LABEL[by] : 'Total');
    for (const r of rows) {
      const i = index.get(new Date(r.t).getTime());
      if (i === undefined) continue;
      const s = !by
        ? seriesFor('total', 'Total')
        : kept.has(r.key)
          ? seriesFor(r.key, r.label || NO_LABEL[by])
          : seriesFor('other', 'Other');
      s.points[i].value = round(s.points[i].value + r.value, 6);
    }
    return { interval, series: [...series.values()] };
  }

  async topPrompts(caller: OrgScope, q: TopPromptsQueryDto): Promise<TopPromptsResponseDto> {
    const range = resolveRange(q);
    const rows = await this.repo.topPrompts(caller.organizationId, range, q.by ?? 'uses', q.limit ?? 10);
    return {
      items: rows.map((r) => ({
        promptId: r.prompt_id,
        slug: r.slug,
        title: r.title,
        value: round(r.value, 6),
      })),
    };
  }

  async breakdown(caller: OrgScope, q: BreakdownQueryDto): Promise<BreakdownResponseDto> {
    const range = resolveRange(q);
    const rows = await this.repo.breakdown(caller.organizationId, range, q.metric ?? 'cost', q.by);
    return {
      items: rows.map((r) => ({ key: r.key, label: r.label || NO_LABEL[q.by], value: round(r.value, 6) })),
    };
  }

  /** One prompt's runs, fetches and cost per day; 404 for prompts the caller does not see. */
  async promptUsage(caller: Caller, promptId: string, q: RangeQueryDto): Promise<PromptUsageResponseDto> {
    await this.access.loadVisible(caller, promptId);
    const range = resolveRange(q);
    const rows = await this.repo.promptDaily(caller.organizationId, promptId, range);
    const byDay = new Map(rows.map((r) => [new Date(r.t).getTime(), r]));
    let runs = 0;
    let fetches = 0;
    let cost = 0;
    for (const r of rows) {
      runs += r.runs;
      fetches += r.fetches;
      cost += r.cost_usd;
    }
    return {
      runs,
      fetches,
      costUsd: round(cost, 6),
      points: intervalStarts(range, 'day').map((t) => {
        const r = byDay.get(t.getTime());
        return { t: t.toISOString(), runs: r?.runs ?? 0, costUsd: round(r?.cost_usd ?? 0, 6) };
      }),
    };
  }
}
