import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * JOB_CONCURRENCY, or by default half the PostgreSQL pool (10 → 5: the other half is the requests'),
 * or 4 on PGlite, whose single connection is a queue for jobs and requests alike anyway: there the
 * bound only keeps jobs that wait on something else (a webhook endpoint, a model provider) from
 * piling up without limit.
 */
export function jobConcurrency(
  config: Pick<AppConfig, 'jobConcurrency' | 'databaseDriver' | 'dbPoolSize'>,
): number {
  if (config.jobConcurrency !== undefined) return config.jobConcurrency;
  return config.databaseDriver === 'postgres' ? Math.max(1, Math.floor(config.dbPoolSize / 2)) : 4;
}

/**
 * The jobs this process runs at once (JOB_CONCURRENCY), over every queue, both drivers and the
 * periodic jobs: jobs share the database pool with HTTP requests, and without a bound a backlog
 * (the outbox drain after a large import: BullMQ's 4 workers × 4 queues, or the inline driver's
 * unbounded timers) took every connection, so requests waited for the pool until they failed
 * with 503. A job beyond the bound waits here, before it touches the database; the bound is below
 * the pool size, so requests always have connections left.
 */
@Injectable()
export class JobSlots {
  readonly limit: number;
  private busy = 0;
  /** Waiting jobs by kind (a queue's name, or `periodic`), each first come first served. */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(config: AppConfig) {
    this.limit = jobConcurrency(config);
  }

  /** Jobs running now, and jobs waiting for a slot. */
  get stats(): { running: number; waiting: number } {
    let waiting = 0;
    for (const list of this.waiting.values()) waiting += list.length;
    return { running: this.busy, waiting };
  }

  /**
   * Runs `work` once a slot is free; the slot is given back however `work` ends. A freed slot goes
   * to the kinds in turn (the one that waited longest first), so a backlog of one queue (thousands
   * of outbox drains after an import) does not make an export or a webhook wait behind all of it.
   */
  async run<T>(work: () => Promise<T>, kind = 'periodic'): Promise<T> {
    await this.acquire(kind);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /**
   * Runs `work` in a slot of its own if one is free now and no job waits for one; otherwise runs
   * nothing and answers null. For work a running job may add beside itself (an import's second
   * commit lane), which must neither take a waiting job's turn nor wait.
   */
  runIfFree<T>(work: () => Promise<T>): Promise<T> | null {
    if (this.busy >= this.limit || this.waiting.size) return null;
    this.busy++;
    return work().finally(() => this.release());
  }

  private acquire(kind: string): Promise<void> {
    if (this.busy < this.limit) {
      this.busy++;
      return Promise.resolve();
    }
    // The slot passes straight from the job that ends to a waiter (busy stays the same).
    return new Promise((resolve) => {
      const list = this.waiting.get(kind);
      if (list) list.push(resolve);
      else this.waiting.set(kind, [resolve]);
    });
  }

  private release(): void {
    // Maps iterate in insertion order: the first kind is the one waiting longest; once served, it
    // goes to the back of the turn if it has more waiting.
    const first = this.waiting.entries().next();
    if (first.done) {
      this.busy--;
      return;
    }
    const [kind, list] = first.value;
    const next = list.shift() as () => void;
    this.waiting.delete(kind);
    if (list.length) this.waiting.set(kind, list);
    next();
  }
}
