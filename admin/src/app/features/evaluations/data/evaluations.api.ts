import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import type { components } from '../../../core/api/schema';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';

type Schemas = components['schemas'];
/** One evaluation: five scores, overall, and strengths (excellent) or suggestions (otherwise). */
export type Evaluation = Schemas['EvaluationResponseDto'];
export type EvaluationScores = Schemas['EvaluationScoresDto'];
export type EvaluationPage = Schemas['EvaluationPageResponseDto'];
export type CreateEvaluationRequest = Schemas['CreateEvaluationDto'];
/** `GET /models` item, for the evaluator model picker. */
export type EvaluatorModel = Schemas['ModelResponseDto'];

/** Calls whose failure the panel reports inline (plan limits still open the upgrade dialog). */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });
const path = (promptId: string) => `${API_BASE}/prompts/${encodeURIComponent(promptId)}/evaluations`;

/** The AI evaluator of a prompt (API-CONTRACT.md "Provider keys, runs and evaluations"). */
@Injectable({ providedIn: 'root' })
export class EvaluationsApi {
  private readonly http = inject(HttpClient);

  evaluate(promptId: string, body: CreateEvaluationRequest): Observable<Evaluation> {
    return this.http.post<Evaluation>(path(promptId), body, inline());
  }

  list(promptId: string, cursor?: string, limit = 20): Observable<EvaluationPage> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    return this.http.get<EvaluationPage>(path(promptId), { params, ...inline() });
  }

  models(): Observable<EvaluatorModel[]> {
    return this.http.get<EvaluatorModel[]>(`${API_BASE}/models`, inline());
  }
}
