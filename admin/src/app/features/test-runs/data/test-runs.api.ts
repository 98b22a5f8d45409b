import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
/** One check of a test case's output (`contains`, `regex`, `json_schema`, …). */
export type Assertion = Schemas['AssertionDto'];
export type AssertionType = Assertion['type'];
export type AssertionResult = Schemas['AssertionResultDto'];
export type CreateTestRunRequest = Schemas['CreateTestRunDto'];
export type TestRunSummary = Schemas['TestRunSummaryResponseDto'];
export type TestRunDetail = Schemas['TestRunDetailResponseDto'];
export type TestRunResult = Schemas['TestRunResultDto'];
export type TestRunStatus = TestRunSummary['status'];
export interface TestRunPage {
  items: TestRunSummary[];
  nextCursor: string | null;
}

/** Calls whose failure the panel reports inline, next to the Start button. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/** Test runs of a prompt's saved test cases across models (API-CONTRACT.md, "Provider keys, runs and evaluations"). */
@Injectable({ providedIn: 'root' })
export class TestRunsApi {
  private readonly http = inject(HttpClient);

  start(promptId: string, body: CreateTestRunRequest): Observable<{ id: string; status: TestRunStatus }> {
    return this.http.post<{ id: string; status: TestRunStatus }>(
      `${API_BASE}/prompts/${encodeURIComponent(promptId)}/test-runs`,
      body,
      inline(),
    );
  }

  get(id: string): Observable<TestRunDetail> {
    return this.http.get<TestRunDetail>(`${API_BASE}/test-runs/${encodeURIComponent(id)}`, inline());
  }

  list(promptId: string, limit = 20, cursor?: string): Observable<TestRunPage> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<TestRunPage>(`${API_BASE}/prompts/${encodeURIComponent(promptId)}/test-runs`, {
      params,
      ...inline(),
    });
  }
}
