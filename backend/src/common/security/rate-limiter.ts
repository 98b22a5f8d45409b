import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { AppConfig } from '../../config/app-config';

export interface WindowCount {
  count: number;
  /** Seconds until the window resets. */
  resetInSeconds: number;
}

/**
 * Fixed-window counters for rate limits and sign-in throttling: in Redis when it is configured
 * (shared by every API process), in memory otherwise (embedded mode runs one process).
 */
export abstract class RateLimiter {
  abstract hit(key: string, windowSeconds: number): Promise<WindowCount>;
  abstract peek(key: string): Promise<WindowCount>;
  abstract reset(key: string): Promise<void>;
}

@Injectable()
export class MemoryRateLimiter extends RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
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

  async peek(key: string): Promise<WindowCount> {
    const now = Date.now();
    const w = this.windows.get(key);
    return !w || w.resetAt <= now
      ? { count: 0, resetInSeconds: 0 }
      : { count: w.count, resetInSeconds: Math.ceil((w.resetAt - now) / 1000) };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

@Injectable()
export class RedisRateLimiter extends RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  private readonly redis: IORedis;

  constructor(config: AppConfig) {
    super();
    this.redis = new IORedis(config.redisUrl!, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      keyPrefix: `${config.queuePrefix}:rl:`,
    });
    this.redis.on('error', (err) => this.logger.debug({ err }, 'redis error'));
  }

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    try {
      const [[, count], [, ttl]] = (await this.redis.multi().incr(key).ttl(key).exec()) as [
        [null, number],
        [null, number],
      ];
      if (ttl < 0) await this.redis.expire(key, windowSeconds);
      return { count, resetInSeconds: ttl < 0 ? windowSeconds : ttl };
    } catch (err) {
      // Limits protect the service; an outage of the counter store must not take the API down.
      this.logger.warn({ err }, 'rate limiter unavailable; allowing the request');
      return { count: 0, resetInSeconds: windowSeconds };
    }
  }

  async peek(key: string): Promise<WindowCount> {
    try {
      const [[, count], [, ttl]] = (await this.redis.multi().get(key).ttl(key).exec()) as [
        [null, string | null],
        [null, number],
      ];
      return { count: Number(count ?? 0), resetInSeconds: Math.max(ttl, 0) };
    } catch {
      return { count: 0, resetInSeconds: 0 };
    }
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(key).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
