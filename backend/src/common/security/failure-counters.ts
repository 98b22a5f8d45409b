import { Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';

export interface WindowCount {
  count: number;
  /** Seconds until the window resets. */
  resetInSeconds: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window failure counters for sign-in throttling (password and SSO): read before an attempt,
 * counted on a failure, cleared on a success. @nestjs/throttler's storage only offers "count this
 * request", so these three operations stay here. In Redis when it is configured (shared by every
 * API process); in this process's memory otherwise, and while Redis is unreachable, so sign-in
 * limits keep holding per process during an outage instead of switching off.
 */
export class FailureCounters implements OnApplicationShutdown {
  private readonly logger = new Logger('FailureCounters');
  private readonly windows = new Map<string, Window>();
  private degraded = false;

  constructor(private readonly redis?: IORedis) {
    redis?.on('error', (err) => this.logger.debug({ err }, 'redis error'));
  }

  /** Counts one failure for `key` in a window of `windowSeconds` starting at its first failure. */
  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    return this.shared(
      async (redis) => {
        const [[, count], [, ttl]] = (await redis.multi().incr(key).ttl(key).exec()) as [
          [null, number],
          [null, number],
        ];
        if (ttl < 0) await redis.expire(key, windowSeconds);
        return { count, resetInSeconds: ttl < 0 ? windowSeconds : ttl };
      },
      () => this.hitInMemory(key, windowSeconds),
    );
  }

  async peek(key: string): Promise<WindowCount> {
    return this.shared(
      async (redis) => {
        const [[, count], [, ttl]] = (await redis.multi().get(key).ttl(key).exec()) as [
          [null, string | null],
          [null, number],
        ];
        return { count: Number(count ?? 0), resetInSeconds: Math.max(ttl, 0) };
      },
      () => this.peekInMemory(key),
    );
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
    await this.shared(
      async (redis) => void (await redis.del(key)),
      () => undefined,
    );
  }

  private async shared<T>(inRedis: (redis: IORedis) => Promise<T>, inMemory: () => T): Promise<T> {
    if (!this.redis) return inMemory();
    try {
      const result = await inRedis(this.redis);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis is back: sign-in failures are counted there again');
      }
      return result;
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(
          { err },
          'Redis unavailable: sign-in failures count in this process until it returns',
        );
      }
      return inMemory();
    }
  }

  private hitInMemory(key: string, windowSeconds: number): WindowCount {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size > 100_000) this.prune(now);
      w = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetInSeconds: Math.ceil((w.resetAt - now) / 1000) };
  }

  private peekInMemory(key: string): WindowCount {
    const now = Date.now();
    const w = this.windows.get(key);
    return !w || w.resetAt <= now
      ? { count: 0, resetInSeconds: 0 }
      : { count: w.count, resetInSeconds: Math.ceil((w.resetAt - now) / 1000) };
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
