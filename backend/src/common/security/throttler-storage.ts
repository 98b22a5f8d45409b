import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import IORedis from 'ioredis';

type Record = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The throttler's counters: in Redis through @nest-lab/throttler-storage-redis when REDIS_URL is
 * configured (shared by every API process), in @nestjs/throttler's in-memory storage otherwise.
 * While Redis is unreachable the same memory storage answers, so limits hold per process instead
 * of switching off; counting returns to Redis as soon as it answers again.
 */
export class FallbackThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly memory = new ThrottlerStorageService();
  private readonly redis?: ThrottlerStorageRedisService;
  private degraded = false;

  constructor(private readonly client?: IORedis) {
    if (client) {
      client.on('error', (err) => this.logger.debug({ err }, 'redis error'));
      this.redis = new ThrottlerStorageRedisService(client);
    }
  }

  /** Whether the counters are in Redis right now (false: this process's memory). */
  get shared(): boolean {
    return !!this.redis && !this.degraded;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<Record> {
    if (!this.redis) return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      const record = await this.redis.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis is back: rate limits are shared again');
      }
      return record;
    } catch (err) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn({ err }, 'Redis unavailable: rate limits count in this process until it returns');
      }
      return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  /**
   * A counter's hits in its current window, without counting one (usage shown to people, e.g.
   * `GET /billing`). Same place as `increment` answers from: Redis, or this process's memory.
   */
  async hits(key: string, throttlerName: string): Promise<number> {
    if (this.redis && !this.degraded) {
      try {
        // The key layout of @nest-lab/throttler-storage-redis's `increment`.
        const value = await this.client!.get(`{${key}:${throttlerName}}:hits`);
        return value === null ? 0 : Number(value);
      } catch {
        return this.memoryHits(key, throttlerName);
      }
    }
    return this.memoryHits(key, throttlerName);
  }

  private memoryHits(key: string, throttlerName: string): number {
    const record = this.memory.storage.get(key);
    if (!record || record.expiresAt <= Date.now()) return 0;
    return record.totalHits.get(throttlerName) ?? 0;
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
    this.client?.disconnect();
  }
}
