import { PromptVaultError } from './errors.js';
import { normalizeBaseUrl, Transport } from './http.js';
import { Prompt, type PromptSource } from './prompt.js';
import type { RuntimePrompt, UsageEvent } from './types.js';
import { UsageReporter, type UsageFlushResult, type UsageOptions } from './usage.js';

export interface CacheOptions {
  /** How long a fetched prompt is served without asking the server (ms, default 60000). */
  ttlMs?: number;
  /**
   * After the TTL, how long the cached copy is still served at once while a revalidation runs in
   * the background (ms, default 300000; 0 = revalidate before answering).
   */
  staleWhileRevalidateMs?: number;
  /** Prompts (slug + label/version) kept; the least recently used go first (default 500). */
  maxEntries?: number;
}

export interface PromptVaultOptions {
  /** The server, e.g. `https://vault.example.com` (`/api/v1` is added unless present). */
  baseUrl: string;
  /** An API key (`X-API-Key`): it acts in its organization as its creator. */
  apiKey?: string;
  /** Alternatively a JWT access token; then `organizationId` is required. */
  accessToken?: string;
  /** `X-Organization-Id`: required with `accessToken`, optional with an API key (must match). */
  organizationId?: string;
  /** Per attempt, including reading the body (ms, default 10000). */
  timeoutMs?: number;
  /** Retries after 429 (waiting `Retry-After`) and, for idempotent requests, after network errors, timeouts and 502/503/504 (default 2). */
  maxRetries?: number;
  /** First backoff delay when the server gives no `Retry-After` (ms, default 250; doubles per attempt). */
  retryBaseDelayMs?: number;
  /** Longest wait before a retry, whatever `Retry-After` says (ms, default 30000). */
  maxRetryDelayMs?: number;
  /** Cache settings, or `false` to ask the server every time (the fallback copy is still kept). */
  cache?: CacheOptions | false;
  /** Serve the last good copy when the API is unavailable (default true). */
  fallback?: boolean;
  usage?: UsageOptions;
  /** Failures of background work (revalidations, usage flushes); default: ignored. */
  onError?: (error: PromptVaultError) => void;
  /** A fetch implementation (default: the global one of Node 20+ and browsers). */
  fetch?: typeof fetch;
}

export interface GetPromptOptions {
  /** A release label such as `production` (default: the current version). */
  label?: string;
  /** A version number (instead of `label`). */
  version?: number;
  /** Ask the server now (with `If-None-Match`) even when the cached copy is fresh. */
  forceRefresh?: boolean;
}

interface Entry {
  data: RuntimePrompt;
  etag: string | undefined;
  fetchedAt: number;
}

/**
 * The Prompt Vault client: cached runtime fetch of prompts by slug with ETag revalidation,
 * stale-while-revalidate and a fallback to the last good copy, and batched usage reporting.
 *
 * ```ts
 * const vault = new PromptVault({ baseUrl: 'https://vault.example.com', apiKey: process.env.PV_API_KEY });
 * const prompt = await vault.getPrompt('support-reply', { label: 'production' });
 * const text = prompt.render({ customer: 'Ada' });
 * ```
 */
export class PromptVault {
  private readonly transport: Transport;
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Prompt>>();
  private readonly ttlMs: number;
  private readonly swrMs: number;
  private readonly maxEntries: number;
  private readonly fallback: boolean;
  private readonly onError: (error: PromptVaultError) => void;
  private readonly usage: UsageReporter;

  constructor(options: PromptVaultOptions) {
    if (!options || typeof options.baseUrl !== 'string') throw new TypeError('PromptVault needs a baseUrl');
    if (!options.apiKey && !options.accessToken)
      throw new TypeError('PromptVault needs an apiKey or an accessToken');
    if (options.accessToken && !options.apiKey && !options.organizationId)
      throw new TypeError('PromptVault needs organizationId with an accessToken');
    if (typeof (options.fetch ?? globalThis.fetch) !== 'function')
      throw new TypeError('No fetch implementation: pass options.fetch');
    const cache = options.cache === false ? { ttlMs: 0, staleWhileRevalidateMs: 0 } : (options.cache ?? {});
    this.ttlMs = nonNegative('cache.ttlMs', cache.ttlMs ?? 60_000);
    this.swrMs = nonNegative('cache.staleWhileRevalidateMs', cache.staleWhileRevalidateMs ?? 300_000);
    this.maxEntries = Math.max(1, nonNegative('cache.maxEntries', cache.maxEntries ?? 500));
    this.fallback = options.fallback ?? true;
    this.onError = options.onError ?? (() => undefined);
    this.transport = new Transport({
      baseUrl: normalizeBaseUrl(options.baseUrl),
      apiKey: options.apiKey,
      accessToken: options.accessToken,
      organizationId: options.organizationId,
      timeoutMs: nonNegative('timeoutMs', options.timeoutMs ?? 10_000),
      maxRetries: nonNegative('maxRetries', options.maxRetries ?? 2),
      retryBaseDelayMs: nonNegative('retryBaseDelayMs', options.retryBaseDelayMs ?? 250),
      maxRetryDelayMs: nonNegative('maxRetryDelayMs', options.maxRetryDelayMs ?? 30_000),
      // Bound to globalThis: browsers refuse a fetch called as a method of another object.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    });
    this.usage = new UsageReporter(this.transport, options.usage ?? {}, this.onError);
  }

  /**
   * A prompt by slug: the version a `label` points at, a given `version`, or the current one.
   * Within the TTL the cached copy answers; after it, within the stale window, the cached copy
   * answers at once and a revalidation runs in the background; later, the server is asked with
   * `If-None-Match` (304 keeps the cached copy). When the API is unavailable (network error,
   * timeout, 429 or 5xx after retries) the last good copy answers with `source: "fallback"`; without
   * one, or for other errors (401, 403, 404, 400), it throws `PromptVaultError`. A 404 also forgets
   * the cached copy.
   */
  async getPrompt(slug: string, options: GetPromptOptions = {}): Promise<Prompt> {
    if (typeof slug !== 'string' || slug === '') throw new TypeError('getPrompt needs a slug');
    if (options.label !== undefined && options.version !== undefined)
      throw new TypeError('getPrompt takes a label or a version, not both');
    const key = cacheKey(slug, options);
    const entry = this.entries.get(key);
    if (entry && !options.forceRefresh) {
      const age = this.now() - entry.fetchedAt;
      if (age < this.ttlMs) return this.view(key, entry, 'cache');
      if (age < this.ttlMs + this.swrMs) {
        // Nobody awaits this one: an unavailable API (served as a fallback) is reported too.
        this.load(key, slug, options).then(
          (prompt) => {
            if (prompt.error) this.onError(prompt.error);
          },
          (error: unknown) => this.report(error),
        );
        return this.view(key, entry, 'stale');
      }
    }
    return this.load(key, slug, options);
  }

  /** Forgets cached prompts: one slug (every label and version of it) or all. */
  invalidate(slug?: string): void {
    if (slug === undefined) {
      this.entries.clear();
      return;
    }
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${slug}\u0000`)) this.entries.delete(key);
  }

  /**
   * Queues a usage event for `POST /usage` (sent in batches by size and interval, and by `flush()`
   * and `close()`). Throws `TypeError` for an event that cannot be valid.
   */
  reportUsage(event: UsageEvent): void {
    this.usage.add(event);
  }

  /** Usage events waiting to be sent. */
  get pendingUsage(): number {
    return this.usage.pending;
  }

  /** Sends the queued usage events now. */
  flush(): Promise<UsageFlushResult> {
    return this.usage.flush();
  }

  /** Sends the queued usage events and stops the interval; `reportUsage` throws afterwards. */
  close(): Promise<UsageFlushResult> {
    return this.usage.close();
  }

  /** One request per key at a time: concurrent callers share it. */
  private load(key: string, slug: string, options: GetPromptOptions): Promise<Prompt> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const request = this.revalidate(key, slug, options).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  private async revalidate(key: string, slug: string, options: GetPromptOptions): Promise<Prompt> {
    const cached = this.entries.get(key);
    try {
      const res = await this.transport.request<RuntimePrompt>({
        method: 'GET',
        path: `/prompts/by-slug/${encodeURIComponent(slug)}`,
        query: { label: options.label, version: options.version },
        headers: cached?.etag ? { 'If-None-Match': cached.etag } : {},
        idempotent: true,
      });
      if (res.status === 304 && cached) {
        const entry = { ...cached, fetchedAt: this.now() };
        this.store(key, entry);
        return this.view(key, entry, 'revalidated');
      }
      if (!res.body)
        throw new PromptVaultError({
          message: `The API answered ${res.status} without a prompt`,
          status: res.status,
          code: 'invalid_response',
        });
      const entry = { data: res.body, etag: res.headers.get('etag') ?? undefined, fetchedAt: this.now() };
      this.store(key, entry);
      return this.view(key, entry, 'network');
    } catch (error) {
      if (!(error instanceof PromptVaultError)) throw error;
      if (error.status === 404) this.entries.delete(key);
      const last = this.entries.get(key);
      if (last && this.fallback && (error.isUnavailable || error.status === 429))
        return this.view(key, last, 'fallback', error);
      throw error;
    }
  }

  private view(key: string, entry: Entry, source: PromptSource, error?: PromptVaultError): Prompt {
    // Least recently used order: a hit moves the entry to the end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return new Prompt(entry.data, { etag: entry.etag, fetchedAt: entry.fetchedAt, source, error });
  }

  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  private now(): number {
    return Date.now();
  }

  private report(error: unknown): void {
    this.onError(
      error instanceof PromptVaultError
        ? error
        : new PromptVaultError({ message: String(error), status: 0, code: 'unexpected_error', cause: error }),
    );
  }
}

function cacheKey(slug: string, options: GetPromptOptions): string {
  return `${slug}\u0000${options.label ?? ''}\u0000${options.version ?? ''}`;
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${name} must be a non-negative number`);
  return value;
}
