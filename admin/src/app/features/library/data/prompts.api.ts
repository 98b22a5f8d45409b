import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import {
  BulkRequest,
  BulkResult,
  LabelMove,
  Page,
  Prompt,
  PromptDiff,
  PromptFilters,
  PromptInput,
  PromptUpdate,
  RenderResult,
  SimilarPrompts,
  TestCase,
  TestCaseInput,
  TestRun,
  RunTarget,
  VersionSnapshot,
  VersionSummary,
} from './library.types';

/**
 * Content sent to `GET /prompts/similar`. The server compares the first 5000 characters, but the
 * text travels in the query string: 1000 characters keep the URL far below the server's 16 kB
 * header limit even for multi-byte text, and are plenty to recognise a near-duplicate.
 */
export const SIMILAR_CONTENT_CHARS = 1000;

/** Callers that show the error themselves (inline or in a dialog) pass this. */
export const silent = (): HttpContext => new HttpContext().set(SILENT_ERRORS, true);

export function filterParams(filters: PromptFilters, cursor?: string | null, limit = 20): HttpParams {
  let params = new HttpParams().set('limit', limit).set('sort', filters.sort);
  if (filters.tag) params = params.set('tag', filters.tag);
  if (filters.category) params = params.set('category', filters.category);
  if (filters.collection) params = params.set('collection', filters.collection);
  if (filters.author) params = params.set('author', filters.author);
  if (filters.status) params = params.set('status', filters.status);
  if (filters.favorite) params = params.set('favorite', 'true');
  if (filters.highCost) params = params.set('highCost', 'true');
  if (cursor) params = params.set('cursor', cursor);
  return params;
}

@Injectable({ providedIn: 'root' })
export class PromptsApi {
  private readonly http = inject(HttpClient);
  private readonly base = `${API_BASE}/prompts`;

  list(filters: PromptFilters, cursor?: string | null): Observable<Page<Prompt>> {
    return this.http.get<Page<Prompt>>(this.base, { params: filterParams(filters, cursor) });
  }

  get(id: string, options: { silent?: boolean } = {}): Observable<Prompt> {
    return this.http.get<Prompt>(`${this.base}/${id}`, options.silent ? { context: silent() } : {});
  }

  create(input: PromptInput): Observable<Prompt> {
    return this.http.post<Prompt>(this.base, input);
  }

  /** Existing prompts close to a title and content being written; failures are not shown. */
  similar(title: string, content: string, limit = 5): Observable<SimilarPrompts> {
    const params = new HttpParams()
      .set('title', title)
      .set('content', content.slice(0, SIMILAR_CONTENT_CHARS))
      .set('limit', limit);
    return this.http.get<SimilarPrompts>(`${this.base}/similar`, { params, context: silent() });
  }

  update(id: string, input: PromptUpdate): Observable<Prompt> {
    // 409 (stale version) and 400 are shown by the editor itself.
    return this.http.patch<Prompt>(`${this.base}/${id}`, input, { context: silent() });
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/${id}`);
  }

  versions(id: string, cursor?: string | null): Observable<Page<VersionSummary>> {
    let params = new HttpParams().set('limit', 50);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<Page<VersionSummary>>(`${this.base}/${id}/versions`, { params });
  }

  version(id: string, version: number): Observable<VersionSnapshot> {
    return this.http.get<VersionSnapshot>(`${this.base}/${id}/versions/${version}`);
  }

  diff(id: string, from: number, to: number): Observable<PromptDiff> {
    const params = new HttpParams().set('from', from).set('to', to);
    return this.http.get<PromptDiff>(`${this.base}/${id}/diff`, { params });
  }

  revert(id: string, version: number, changeNote?: string): Observable<Prompt> {
    return this.http.post<Prompt>(`${this.base}/${id}/versions/${version}/revert`, { changeNote });
  }

  moveLabel(id: string, label: string, version: number): Observable<unknown> {
    return this.http.put(`${this.base}/${id}/labels/${encodeURIComponent(label)}`, { version });
  }

  labelHistory(id: string): Observable<Page<LabelMove>> {
    return this.http.get<Page<LabelMove>>(`${this.base}/${id}/labels/history`);
  }

  render(
    id: string,
    variables: Record<string, unknown>,
    target: { version?: number; label?: string } = {},
  ): Observable<RenderResult> {
    // 422 field errors are shown next to the variables form.
    return this.http.post<RenderResult>(
      `${this.base}/${id}/render`,
      { variables, ...target },
      { context: silent() },
    );
  }

  toggleFavorite(id: string): Observable<{ favorited: boolean; favorites: number }> {
    return this.http.post<{ favorited: boolean; favorites: number }>(`${this.base}/${id}/favorite`, {});
  }

  duplicate(id: string): Observable<Prompt> {
    return this.http.post<Prompt>(`${this.base}/${id}/duplicate`, {});
  }

  bulk(request: BulkRequest): Observable<BulkResult> {
    return this.http.post<BulkResult>(`${this.base}/bulk`, request);
  }

  testCases(id: string): Observable<Page<TestCase>> {
    return this.http.get<Page<TestCase>>(`${this.base}/${id}/test-cases`);
  }

  createTestCase(id: string, input: TestCaseInput): Observable<TestCase> {
    return this.http.post<TestCase>(`${this.base}/${id}/test-cases`, input);
  }

  updateTestCase(id: string, testCaseId: string, input: TestCaseInput): Observable<TestCase> {
    return this.http.patch<TestCase>(`${this.base}/${id}/test-cases/${testCaseId}`, input);
  }

  deleteTestCase(id: string, testCaseId: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/${id}/test-cases/${testCaseId}`);
  }

  /** Runs the given cases (all when `caseIds` is omitted) against a version or a label (current by default). */
  runTestCases(id: string, options: { caseIds?: string[] } & RunTarget): Observable<TestRun> {
    return this.http.post<TestRun>(`${this.base}/${id}/test-cases/run`, options);
  }
}
