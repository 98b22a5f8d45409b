import type { RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/app-config';

/**
 * Connection options of the rate-limit counters. A limit check sits on the request path, so
 * while Redis is away it must fail at once (no offline queue, one retry, a short command timeout)
 * and fall back to this process's memory, never hold the request.
 */
export const rateLimitRedisOptions = (config: AppConfig): RedisOptions => ({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 1000,
  // The key's and the organization's counters of one request (and those of requests arriving in
  // the same tick) leave in one write: one round trip instead of one per counter.
  enableAutoPipelining: true,
  keyPrefix: `${config.queuePrefix}:rl:`,
});
