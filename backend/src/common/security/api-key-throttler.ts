import { Injectable } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerModuleOptions,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Response } from 'express';
import { AppException } from '../errors/domain.exception';

/** The named throttler (ThrottlerModule options in SecurityModule) that limits each API key. */
export const API_KEY_THROTTLER = 'api-key';

export interface ThrottledKey {
  id: string;
  organizationId: string;
}

/**
 * An API key's allowance per window. The default is the `api-key` throttler's (API_KEY_RATE_LIMIT
 * per API_KEY_RATE_WINDOW_SECONDS) for every organization; per-plan limits replace this provider
 * (`{ provide: ApiKeyLimits, useClass: PlanLimits }`) and resolve it from the key's organization.
 */
@Injectable()
export class ApiKeyLimits {
  protected readonly throttler: ThrottlerOptions;

  constructor(@InjectThrottlerOptions() options: ThrottlerModuleOptions) {
    const throttlers = Array.isArray(options) ? options : options.throttlers;
    const throttler = throttlers.find((t) => t.name === API_KEY_THROTTLER);
    if (!throttler || typeof throttler.limit !== 'number' || typeof throttler.ttl !== 'number')
      throw new Error(`The "${API_KEY_THROTTLER}" throttler needs a numeric limit and ttl`);
    this.throttler = throttler;
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the key is what plans resolve by
  async resolve(key: ThrottledKey): Promise<{ limit: number; ttlMs: number }> {
    return { limit: this.throttler.limit as number, ttlMs: this.throttler.ttl as number };
  }
}

/**
 * Counts one request of an API key in the throttler storage, tracked by the key's id. It is
 * called after the key row was read (AccessGuard), not from a ThrottlerGuard in front of it: an
 * unknown or revoked key must answer 401 before any 429, and random keys must not create counters.
 * Sets X-RateLimit-Limit/Remaining/Reset; past the limit, 429 `rate_limited` with Retry-After.
 */
@Injectable()
export class ApiKeyThrottler {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly limits: ApiKeyLimits,
  ) {}

  async consume(key: ThrottledKey, res: Response): Promise<void> {
    const { limit, ttlMs } = await this.limits.resolve(key);
    // Blocked for the rest of the window once over it (a positive block is what the Redis storage needs).
    const record = await this.storage.increment(`apikey:${key.id}`, ttlMs, limit, ttlMs, API_KEY_THROTTLER);
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(limit - record.totalHits, 0)));
    res.setHeader('X-RateLimit-Reset', String(record.timeToExpire));
    if (record.isBlocked) {
      throw new AppException(
        'rate_limited',
        `This API key may make ${limit} requests per ${Math.round(ttlMs / 1000)} s`,
        { headers: { 'Retry-After': String(Math.max(record.timeToBlockExpire, 1)) } },
      );
    }
  }
}
