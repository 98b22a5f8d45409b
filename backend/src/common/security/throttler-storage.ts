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

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
    this.client?.disconnect();
  }
}
