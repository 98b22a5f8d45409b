import { PromptVaultError } from './errors.js';
import type { Transport } from './http.js';
import type { FieldError, UsageEvent, UsageResponse } from './types.js';

export interface UsageOptions {
  /** Events per `POST /usage` request; a full batch is sent at once (1..1000, default 100). */
  batchSize?: number;
  /** Queued events are sent at least this often (ms, default 5000; 0 = only on size, `flush()` and `close()`). */
  flushIntervalMs?: number;
  /** Events kept while the API is unavailable; the oldest are dropped beyond it (default 10000). */
  maxQueueSize?: number;
}

/** What one `flush()` achieved. */
export interface UsageFlushResult {
  /** Events sent in this flush. */
  sent: number;
  /** Events the server stored. */
  accepted: number;
  /** Events the server refused, with why (they are not retried). */
  rejected: { event: UsageEvent; errors: FieldError[] }[];
}

const MAX_BATCH = 1000;

function checkEvent(event: UsageEvent): void {
  const problems: string[] = [];
  if (!event || typeof event !== 'object') throw new TypeError('reportUsage needs an event object');
  if (typeof event.model !== 'string' || event.model.trim() === '')
    problems.push('model must be a non-empty string');
  for (const name of ['inputTokens', 'outputTokens'] as const) {
    const n = event[name];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      problems.push(`${name} must be a non-negative integer`);
  }
  if (event.promptId === undefined && event.slug === undefined) problems.push('promptId or slug is required');
  if (event.promptId !== undefined && event.slug !== undefined)
    problems.push('give promptId or slug, not both');
  if (event.version !== undefined && event.label !== undefined)
    problems.push('give version or label, not both');
  if (problems.length) throw new TypeError(`Invalid usage event: ${problems.join('; ')}`);
}

function randomKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Batches usage events into `POST /usage`: a request when `batchSize` events are queued, on an
 * interval, and on `flush()`/`close()`. Each event gets an idempotency key and a timestamp when it
 * is queued, so a batch retried after a lost answer counts once. While the API is unavailable the
 * events stay queued (up to `maxQueueSize`) and go with the next flush; events the server refuses
 * are dropped and reported.
 */
export class UsageReporter {
  private queue: UsageEvent[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<UsageFlushResult> = Promise.resolve({ sent: 0, accepted: 0, rejected: [] });
  private closed = false;
  /** A flush is queued or running: size and interval triggers need not start another. */
  private busy = 0;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueueSize: number;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly transport: Transport,
    options: UsageOptions,
    private readonly onError: (error: PromptVaultError) => void,
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 5000;
    this.maxQueueSize = options.maxQueueSize ?? 10_000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_BATCH)
      throw new TypeError(`usage.batchSize must be an integer from 1 to ${MAX_BATCH}`);
    if (!Number.isFinite(this.flushIntervalMs) || this.flushIntervalMs < 0)
      throw new TypeError('usage.flushIntervalMs must be a non-negative number');
    if (!Number.isInteger(this.maxQueueSize) || this.maxQueueSize < this.batchSize)
      throw new TypeError('usage.maxQueueSize must be an integer not below usage.batchSize');
  }

  /** Events waiting to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  add(event: UsageEvent): void {
    if (this.closed)
      throw new PromptVaultError({ message: 'The client is closed', status: 0, code: 'client_closed' });
    checkEvent(event);
    this.enqueue([
      {
        ...event,
        occurredAt: event.occurredAt ?? new Date().toISOString(),
        idempotencyKey: event.idempotencyKey ?? randomKey(),
      },
    ]);
    this.startTimer();
    if (this.queue.length >= this.batchSize) this.background();
  }

  /**
   * Sends everything queued, in batches. Resolves with what the server stored and refused; rejects
   * with the `PromptVaultError` of a request that failed (unavailable: the events stay queued for the
   * next flush; refused as a whole, e.g. 400 or 403: that batch is dropped).
   */
  flush(): Promise<UsageFlushResult> {
    this.busy++;
    const run = this.flushing
      .catch(() => undefined)
      .then(() => this.drain())
      .finally(() => this.busy--);
    this.flushing = run;
    return run;
  }

  /** Stops the interval, sends what is queued and refuses further events. */
  async close(): Promise<UsageFlushResult> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return this.flush();
  }

  private async drain(): Promise<UsageFlushResult> {
    const result: UsageFlushResult = { sent: 0, accepted: 0, rejected: [] };
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.batchSize);
      let answer: UsageResponse;
      try {
        const res = await this.transport.request<UsageResponse>({
          method: 'POST',
          path: '/usage',
          body: { events: batch },
          idempotent: true,
        });
        answer = res.body ?? { accepted: batch.length, rejected: [] };
      } catch (error) {
        if (error instanceof PromptVaultError && (error.isUnavailable || error.status === 429))
          this.enqueue(batch, true);
        throw error;
      }
      result.sent += batch.length;
      result.accepted += answer.accepted;
      for (const r of answer.rejected ?? []) {
        const event = batch[r.index];
        if (event) result.rejected.push({ event, errors: r.errors });
      }
    }
    return result;
  }

  /** A flush started by size or interval: its failures go to `onError`, never unhandled. */
  private background(): void {
    if (this.busy) return;
    this.flush().then(
      (result) => {
        if (!result.rejected.length) return;
        const errors = result.rejected.flatMap((r) =>
          r.errors.map((e) => ({
            field: `events[${r.event.idempotencyKey ?? ''}].${e.field}`,
            message: e.message,
          })),
        );
        this.onError(
          new PromptVaultError({
            message: `The server refused ${result.rejected.length} usage event(s)`,
            status: 202,
            code: 'usage_events_rejected',
            errors,
          }),
        );
      },
      (error: unknown) =>
        this.onError(
          error instanceof PromptVaultError
            ? error
            : new PromptVaultError({
                message: String(error),
                status: 0,
                code: 'unexpected_error',
                cause: error,
              }),
        ),
    );
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.flushIntervalMs === 0) return;
    this.timer = setInterval(() => {
      if (this.queue.length) this.background();
    }, this.flushIntervalMs);
    // In Node, queued usage must not keep a process alive that is otherwise done.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private enqueue(events: UsageEvent[], front = false): void {
    this.queue = front ? [...events, ...this.queue] : [...this.queue, ...events];
    const excess = this.queue.length - this.maxQueueSize;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.dropped += excess;
    }
  }
}
