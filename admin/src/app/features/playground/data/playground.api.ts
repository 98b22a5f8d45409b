import { HttpClient, HttpContext, HttpErrorResponse, HttpHeaders, HttpParams } from '@angular/common/http';
import { inject, Injectable, InjectionToken } from '@angular/core';
import { firstValueFrom, Observable } from 'rxjs';
import { API_BASE } from '../../../core/api/api-types';
import { credentialHeaders } from '../../../core/http/auth.interceptor';
import { PLAN_LIMIT_REACHED, PlanLimitPrompt } from '../../../core/http/plan-limit';
import { Problem, PROBLEM_CONTENT_TYPE, ProblemError, readProblem } from '../../../core/http/problem';
import { SILENT_ERRORS } from '../../../core/http/problem.interceptor';
import { SessionStore } from '../../../core/session/session.store';
import type { Page, Prompt } from '../../library/data/library.types';
import { readSse, SseMessage } from './sse';

/*
 * Shapes of API-CONTRACT.md "Provider keys, runs and evaluations", written by hand until the
 * backend's routes are in docs/openapi.json; then they become aliases of `components['schemas']`
 * (ModelResponseDto, EstimateResponseDto, RunResponseDto, RunDetailResponseDto, …).
 */
export type ModelProvider = 'openai' | 'anthropic' | 'google' | 'openai-compatible';

/** `GET /models` item: the catalogue with prices in US dollars per million tokens. */
export interface Model {
  provider: ModelProvider;
  id: string;
  name: string;
  contextWindow: number;
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
  pricesAsOf: string;
}

export interface RunSettings {
  temperature?: number;
  maxTokens?: number;
}

/** A version number or a release label; neither means the current version. */
export interface VersionSelector {
  version?: number;
  label?: string;
}

export interface EstimateRequest extends VersionSelector {
  variables: Record<string, unknown>;
  model: string;
}

export interface Estimate {
  inputTokens: number;
  estimatedOutputTokens: number;
  costUsd: number;
  /** Counted with the model's own tokenizer (else an approximation). */
  exact: boolean;
}

export interface RunPromptRequest extends EstimateRequest {
  providerKeyId?: string;
  settings?: RunSettings;
}

export interface PlaygroundRunRequest {
  content: string;
  variables: Record<string, unknown>;
  model: string;
  providerKeyId?: string;
  settings?: RunSettings;
}

export interface CompareTarget extends VersionSelector {
  model: string;
  providerKeyId?: string;
}

export interface CompareRequest {
  variables: Record<string, unknown>;
  targets: CompareTarget[];
  settings?: RunSettings;
}

export type RunStatus = 'success' | 'error' | 'canceled';

export interface Run {
  id: string;
  promptId: string | null;
  version: number | null;
  model: string;
  provider?: ModelProvider;
  output: string;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
  latencyMs: number;
  status: RunStatus;
  error?: Record<string, unknown> | null;
  createdAt?: string;
}

/** `GET /runs` item. */
export interface RunDetail extends Run {
  variables?: Record<string, unknown>;
  input?: string;
}

/** Events of `POST /prompts/:id/run` and `POST /playground/run` with `Accept: text/event-stream`. */
export type RunEvent =
  { type: 'delta'; text: string } | { type: 'done'; run: Run } | { type: 'error'; problem: ProblemError };

/** Events of `POST /prompts/:id/compare` streamed: per target (its index), then `end`. */
export type CompareEvent =
  | { type: 'delta'; target: number; text: string }
  | { type: 'done'; target: number; run: Run }
  | { type: 'error'; target: number; problem: ProblemError }
  | { type: 'end' };

/** `fetch`, replaceable in tests. */
export const FETCH = new InjectionToken<typeof fetch>('FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return null;
  }
}

/** A problem document received outside an HTTP error (an SSE `error` event) as a ProblemError. */
export function problemFromBody(body: unknown, url = ''): ProblemError {
  const doc = isRecord(body) && typeof body['title'] === 'string' ? body : { title: 'The run failed' };
  const status = typeof doc['status'] === 'number' ? doc['status'] : 500;
  const response = new HttpErrorResponse({
    status,
    url,
    error: doc,
    headers: new HttpHeaders({ 'Content-Type': PROBLEM_CONTENT_TYPE }),
  });
  return new ProblemError(readProblem(response) as Problem, response, false);
}

/**
 * The one place that knows the event names and data of runs and comparisons (API-CONTRACT.md;
 * docs/playground.md "Streaming"). Unknown events (and ones with broken data) are skipped.
 */
export function toRunEvent(message: SseMessage): RunEvent | CompareEvent | null {
  if (message.event === 'end') return { type: 'end' };
  const data = parseJson(message.data);
  if (!isRecord(data)) return null;
  const target = typeof data['target'] === 'number' ? data['target'] : undefined;
  const withTarget = <T extends object>(event: T) => (target === undefined ? event : { ...event, target });
  switch (message.event) {
    case 'delta':
      return typeof data['text'] === 'string'
        ? withTarget({ type: 'delta' as const, text: data['text'] })
        : null;
    case 'done': {
      // A single run sends the run itself; a comparison wraps it as `{target, run}`.
      const run = target === undefined ? data : data['run'];
      return isRecord(run) && typeof run['id'] === 'string'
        ? withTarget({ type: 'done' as const, run: run as unknown as Run })
        : null;
    }
    case 'error': {
      const problem = target === undefined ? data : data['problem'];
      return withTarget({ type: 'error' as const, problem: problemFromBody(problem) });
    }
    default:
      return null;
  }
}

/** Calls whose failures the playground shows itself, next to what failed. */
const inline = () => ({ context: new HttpContext().set(SILENT_ERRORS, true) });

/**
 * The playground's API: the catalogue, estimates, the runs list (HttpClient), and runs and
 * comparisons streamed as server-sent events over `fetch`, which HttpClient cannot hand out
 * incrementally. The stream sends the same credentials as the interceptor (`credentialHeaders`),
 * refreshes an expired token once, and reports failures as the same `ProblemError`s; aborting
 * the signal (Stop) closes the connection, which cancels the provider call on the server.
 */
@Injectable({ providedIn: 'root' })
export class PlaygroundApi {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionStore);
  private readonly fetch = inject(FETCH);
  private readonly planLimit = inject(PlanLimitPrompt);

  models(): Observable<Model[]> {
    return this.http.get<Model[]>(`${API_BASE}/models`);
  }

  /** Prompts for the source picker: the most recently updated hundred. */
  prompts(): Observable<Page<Prompt>> {
    const params = new HttpParams().set('limit', 100).set('sort', 'updated');
    return this.http.get<Page<Prompt>>(`${API_BASE}/prompts`, { params });
  }

  estimate(promptId: string, body: EstimateRequest): Observable<Estimate> {
    return this.http.post<Estimate>(
      `${API_BASE}/prompts/${encodeURIComponent(promptId)}/estimate`,
      body,
      inline(),
    );
  }

  runs(promptId: string | null, limit = 20): Observable<Page<RunDetail>> {
    let params = new HttpParams().set('limit', limit);
    if (promptId) params = params.set('promptId', promptId);
    return this.http.get<Page<RunDetail>>(`${API_BASE}/runs`, { params, ...inline() });
  }

  runPrompt(promptId: string, body: RunPromptRequest, signal: AbortSignal, onEvent: (e: RunEvent) => void) {
    return this.stream(`/prompts/${encodeURIComponent(promptId)}/run`, body, signal, onEvent);
  }

  runContent(body: PlaygroundRunRequest, signal: AbortSignal, onEvent: (e: RunEvent) => void) {
    return this.stream('/playground/run', body, signal, onEvent);
  }

  compare(promptId: string, body: CompareRequest, signal: AbortSignal, onEvent: (e: CompareEvent) => void) {
    return this.stream(`/prompts/${encodeURIComponent(promptId)}/compare`, body, signal, onEvent);
  }

  /**
   * POSTs `body` asking for an event stream and hands over each event until the server ends it.
   * Rejects with a ProblemError for a refused request (the plan limit opens the upgrade dialog as
   * for every other call), an HttpErrorResponse with status 0 when the server is unreachable, or
   * the signal's AbortError after Stop.
   */
  private async stream<E extends RunEvent | CompareEvent>(
    path: string,
    body: unknown,
    signal: AbortSignal,
    onEvent: (e: E) => void,
  ) {
    const url = `${API_BASE}${path}`;
    const token = this.session.accessToken();
    let response = await this.send(url, body, signal, token);
    if (response.status === 401 && token) {
      const fresh = await firstValueFrom(this.session.refreshAccessToken(token)).catch(() => null);
      if (fresh) response = await this.send(url, body, signal, fresh);
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what an HttpClient call rejects with
    if (!response.ok || !response.body) throw await this.failure(url, response);
    await readSse(response.body, (message) => {
      // Which of the two event shapes arrives depends on the route the caller chose.
      const event = toRunEvent(message) as E | null;
      if (event) onEvent(event);
    });
  }

  private async send(url: string, body: unknown, signal: AbortSignal, token: string | null) {
    try {
      return await this.fetch(url, {
        method: 'POST',
        headers: {
          ...credentialHeaders(token, this.session.organizationId()),
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
        },
        body: JSON.stringify(body),
        signal,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- HttpClient's "unreachable" (status 0)
      throw new HttpErrorResponse({ status: 0, statusText: 'Unknown Error', url });
    }
  }

  private async failure(url: string, response: Response): Promise<ProblemError | HttpErrorResponse> {
    const headers = new HttpHeaders(Object.fromEntries(response.headers.entries()));
    const error = new HttpErrorResponse({
      status: response.status,
      statusText: response.statusText,
      url,
      headers,
      error: await response.text().catch(() => null),
    });
    const problem = readProblem(error);
    if (!problem) return error;
    if (problem.code === PLAN_LIMIT_REACHED) this.planLimit.show(problem);
    // Refused: the role may have been narrowed meanwhile, so the menu should follow.
    if (problem.status === 403) this.session.revalidate();
    return new ProblemError(problem, error, problem.code === PLAN_LIMIT_REACHED);
  }
}
