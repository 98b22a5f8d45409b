import { PromptVaultError } from './errors.js';
import type { Problem } from './types.js';

/** What the transport needs from the client's options. */
export interface TransportOptions {
  baseUrl: string;
  apiKey?: string;
  accessToken?: string;
  organizationId?: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  fetch: typeof fetch;
}

export interface RequestOptions {
  method: 'GET' | 'POST';
  /** Path under `/api/v1`, starting with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * Whether a failure without an answer (network error, timeout) or a 502/503/504 may be retried:
   * true for reads and for writes that are idempotent (usage events carry idempotency keys).
   */
  idempotent: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined for 304 and empty answers. */
  body: T | undefined;
}

/** An answer whose body has been read (under the request's timeout). */
export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

const API_PREFIX = '/api/v1';
const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** `https://host`, `https://host/`, `https://host/api/v1` → `https://host/api/v1`. */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got "${baseUrl}"`);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(API_PREFIX) ? path : `${path}${API_PREFIX}`;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date), undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date names its weekday and month; anything else (`-5`, `soon`) is unreadable.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one place requests are sent: authentication headers, a timeout per attempt, retries (429 after
 * `Retry-After`; network errors, timeouts and 502/503/504 with exponential backoff when the request is
 * idempotent), and problem+json turned into `PromptVaultError`.
 */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  async request<T>(req: RequestOptions): Promise<HttpResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      let failure: PromptVaultError;
      try {
        const response = await this.send(req);
        if (response.status < 400) return this.read<T>(response);
        failure = toError(response);
      } catch (error) {
        if (!(error instanceof PromptVaultError)) throw error;
        failure = error;
      }
      const retryable =
        failure.status === 429 ||
        (req.idempotent && (failure.status === 0 || RETRYABLE_STATUS.has(failure.status)));
      if (!retryable || attempt >= this.options.maxRetries) throw failure;
      await sleep(this.delay(attempt, failure.retryAfterSeconds));
    }
  }

  private delay(attempt: number, retryAfterSeconds: number | undefined): number {
    const { retryBaseDelayMs, maxRetryDelayMs } = this.options;
    const wanted =
      retryAfterSeconds !== undefined
        ? retryAfterSeconds * 1000
        : retryBaseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2);
    return Math.min(wanted, maxRetryDelayMs);
  }

  private async send(req: RequestOptions): Promise<RawResponse> {
    const url = new URL(`${this.options.baseUrl}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      ...req.headers,
    };
    if (this.options.apiKey) headers['X-API-Key'] = this.options.apiKey;
    if (this.options.accessToken) headers['Authorization'] = `Bearer ${this.options.accessToken}`;
    if (this.options.organizationId) headers['X-Organization-Id'] = this.options.organizationId;
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, {
        method: req.method,
        headers,
        body,
        signal: controller.signal,
      });
      // The body is read under the same timeout: a server that stalls mid-answer is a timeout too.
      const text = await response.text();
      return { status: response.status, statusText: response.statusText, headers: response.headers, text };
    } catch (error) {
      if (controller.signal.aborted)
        throw new PromptVaultError({
          message: `${req.method} ${req.path} timed out after ${this.options.timeoutMs} ms`,
          status: 0,
          code: 'timeout',
          cause: error,
        });
      throw new PromptVaultError({
        message: `${req.method} ${req.path} failed: ${error instanceof Error ? error.message : String(error)}`,
        status: 0,
        code: 'network_error',
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private read<T>(response: RawResponse): HttpResponse<T> {
    const text = response.status === 304 ? '' : response.text;
    let body: T | undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text) as T;
      } catch (cause) {
        throw new PromptVaultError({
          message: `The API answered ${response.status} with a body that is not JSON`,
          status: response.status,
          code: 'invalid_response',
          requestId: response.headers.get('x-request-id') ?? undefined,
          cause,
        });
      }
    }
    return { status: response.status, headers: response.headers, body };
  }
}

/** An error answer as `PromptVaultError`: the problem+json fields when present, the status otherwise. */
export function toError(response: RawResponse): PromptVaultError {
  const text = response.text;
  let problem: (Problem & Record<string, unknown>) | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      problem = parsed as Problem & Record<string, unknown>;
  } catch {
    problem = undefined;
  }
  const headerId = response.headers.get('x-request-id') ?? undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const code = str(problem?.code) ?? `http_${response.status}`;
  const detail =
    str(problem?.detail) ?? str(problem?.title) ?? (response.statusText || `HTTP ${response.status}`);
  return new PromptVaultError({
    message: `${response.status} ${code}: ${detail}`,
    status: response.status,
    code,
    errors: Array.isArray(problem?.errors) ? problem.errors : [],
    requestId: str(problem?.requestId) ?? headerId,
    type: str(problem?.type),
    title: str(problem?.title),
    instance: str(problem?.instance),
    retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    problem,
  });
}
