import { HttpClient, HttpContext, HttpParams, HttpResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import {
  AnalyticsGroupBy,
  AnalyticsInterval,
  AnalyticsMetric,
  AnalyticsSummary,
  AnalyticsTimeseries,
  Breakdown,
  BreakdownBy,
  BreakdownMetric,
  Budget,
  BudgetSettings,
  CollectionBudget,
  CollectionBudgetSettings,
  CollectionOption,
  PromptUsage,
  ReportFormat,
  TopPrompts,
  TopPromptsBy,
} from './analytics.types';

/** A period as the API takes it: ISO 8601 instants, `from` inclusive, `to` exclusive. */
export interface Period {
  from: string;
  to: string;
}

/** The page shows failures inline (each panel has its own), so the global snack bar stays quiet. */
const inline = () => new HttpContext().set(SILENT_ERRORS, true);

function params(values: Record<string, string | number | undefined | null>): HttpParams {
  let p = new HttpParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== null && value !== '') p = p.set(key, String(value));
  return p;
}

/** Usage analytics, reports and the budget (API-CONTRACT.md "Usage and analytics"). */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);
  private readonly base = `${API_BASE}/analytics`;

  summary(period: Period): Observable<AnalyticsSummary> {
    return this.http.get<AnalyticsSummary>(`${this.base}/summary`, {
      params: params({ ...period }),
      context: inline(),
    });
  }

  timeseries(
    period: Period,
    query: { metric: AnalyticsMetric; interval: AnalyticsInterval; groupBy?: AnalyticsGroupBy | null },
  ): Observable<AnalyticsTimeseries> {
    return this.http.get<AnalyticsTimeseries>(`${this.base}/timeseries`, {
      params: params({ ...period, ...query }),
      context: inline(),
    });
  }

  topPrompts(period: Period, by: TopPromptsBy, limit = 10): Observable<TopPrompts> {
    return this.http.get<TopPrompts>(`${this.base}/top-prompts`, {
      params: params({ ...period, by, limit }),
      context: inline(),
    });
  }

  breakdown(period: Period, by: BreakdownBy, metric: BreakdownMetric): Observable<Breakdown> {
    return this.http.get<Breakdown>(`${this.base}/breakdown`, {
      params: params({ ...period, by, metric }),
      context: inline(),
    });
  }

  /** The dashboard's period as a CSV or PDF file (the full response, for its file name). */
  report(period: Period, format: ReportFormat): Observable<HttpResponse<Blob>> {
    return this.http.get(`${this.base}/report`, {
      params: params({ ...period, format }),
      responseType: 'blob',
      observe: 'response',
      context: inline(),
    });
  }

  promptUsage(promptId: string, period: Period): Observable<PromptUsage> {
    return this.http.get<PromptUsage>(`${API_BASE}/prompts/${encodeURIComponent(promptId)}/usage`, {
      params: params({ ...period }),
      context: inline(),
    });
  }

  budget(): Observable<Budget> {
    return this.http.get<Budget>(`${API_BASE}/budget`, { context: inline() });
  }

  saveBudget(settings: BudgetSettings): Observable<Budget> {
    return this.http.put<Budget>(`${API_BASE}/budget`, settings, { context: inline() });
  }

  collectionBudgets(): Observable<{ items: CollectionBudget[] }> {
    return this.http.get<{ items: CollectionBudget[] }>(`${API_BASE}/budget/collections`, {
      context: inline(),
    });
  }

  saveCollectionBudget(
    collectionId: string,
    settings: CollectionBudgetSettings,
  ): Observable<CollectionBudget> {
    return this.http.put<CollectionBudget>(
      `${API_BASE}/budget/collections/${encodeURIComponent(collectionId)}`,
      settings,
      { context: inline() },
    );
  }

  removeCollectionBudget(collectionId: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/budget/collections/${encodeURIComponent(collectionId)}`, {
      context: inline(),
    });
  }

  /** The organization's collections (the whole tree, flat), to pick one for a budget. */
  collections(): Observable<{ items: CollectionOption[] }> {
    return this.http.get<{ items: CollectionOption[] }>(`${API_BASE}/collections`, { context: inline() });
  }
}
