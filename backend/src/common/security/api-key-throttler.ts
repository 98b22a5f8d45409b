import { Injectable } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerModuleOptions,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Response } from 'express';
import type { BillingState } from '../../modules/billing/subscription-state';
import { AppException } from '../errors/domain.exception';

/** The named throttler (ThrottlerModule options in SecurityModule) that limits each API key. */
export const API_KEY_THROTTLER = 'api-key';

export interface ThrottledKey {
  id: string;
  organizationId: string;
  /**
   * The organization's plan and subscription, read with the key row (one statement: no extra
   * round trip on the runtime fetch path); null when it could not be read.
   */
  billing?: BillingState | null;
}

/** An allowance of requests per window. */
export interface Allowance {
  limit: number;
  ttlMs: number;
}

/** The organization-wide allowance, with what a refusal says about it. */
export interface OrganizationAllowance extends Allowance {
  /** The problem's detail when this allowance is spent. */
  refusal: string;
  /** Extra members of the 429 problem (e.g. the plan and where to upgrade). */
  extensions?: Record<string, unknown>;
}

export interface KeyAllowances {
  /** Per API key (its own counter). */
  key: Allowance;
  /** Per organization (one counter for all its keys); null = no organization-wide limit. */
  organization: OrganizationAllowance | null;
}

/**
 * The counter of an organization's API requests in the throttler storage, one per allowance: a
 * plan change starts a fresh window under the new allowance (an upgrade is not held to the block
 * of the old one).
 */
export const organizationCounter = (organizationId: string, allowance: Allowance) =>
  `apiorg:${organizationId}:${allowance.limit}:${allowance.ttlMs}`;

/** "hour", "day" or "N s": how a window reads in a problem. */
export const windowText = (ttlMs: number): string => {
  const s = Math.round(ttlMs / 1000);
  return s === 3600 ? 'hour' : s === 86_400 ? 'day' : `${s} s`;
};

/**
 * An API key's allowances. This default gives each key the `api-key` throttler's allowance
 * (API_KEY_RATE_LIMIT per API_KEY_RATE_WINDOW_SECONDS) and no organization-wide limit; the
 * per-plan provider (`PlanApiLimits`, modules/billing) replaces it in SecurityModule and adds the
 * organization's plan allowance.
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

  /** The per-key allowance of the `api-key` throttler. */
  protected get perKey(): Allowance {
    return { limit: this.throttler.limit as number, ttlMs: this.throttler.ttl as number };
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the key is what plans resolve by
  async resolve(key: ThrottledKey): Promise<KeyAllowances> {
    return { key: this.perKey, organization: null };
  }
}

/** The throttler storage, which may also tell a counter's hits without counting one. */
type CountingStorage = ThrottlerStorage & { hits?: (key: string, throttlerName: string) => Promise<number> };

interface Counter extends Allowance {
  storageKey: string;
  refusal: string;
  extensions?: Record<string, unknown>;
}

/**
 * Counts one request of an API key in the throttler storage: in the key's counter and, when the
 * organization has a plan allowance, in the organization's counter (all its keys together); the
 * tighter answer wins. It is called after the key row was read (AccessGuard), not from a
 * ThrottlerGuard in front of it: an unknown or revoked key must answer 401 before any 429, and
 * random keys must not create counters. Sets X-RateLimit-Limit/Remaining/Reset of the tighter
 * counter; past a limit, 429 `rate_limited` with Retry-After.
 */
@Injectable()
export class ApiKeyThrottler {
  constructor(
    @InjectThrottlerStorage() private readonly storage: CountingStorage,
    private readonly limits: ApiKeyLimits,
  ) {}

  async consume(key: ThrottledKey, res: Response): Promise<void> {
    const allowances = await this.limits.resolve(key);
    const counters: Counter[] = [
      {
        ...allowances.key,
        storageKey: `apikey:${key.id}`,
        refusal: `This API key may make ${allowances.key.limit} requests per ${windowText(allowances.key.ttlMs)}`,
      },
    ];
    if (allowances.organization)
      counters.push({
        ...allowances.organization,
        storageKey: organizationCounter(key.organizationId, allowances.organization),
      });
    // Blocked for the rest of the window once over it (a positive block is what the Redis storage needs).
    const records = await Promise.all(
      counters.map((c) => this.storage.increment(c.storageKey, c.ttlMs, c.limit, c.ttlMs, API_KEY_THROTTLER)),
    );
    const answers = counters.map((counter, i) => ({
      counter,
      record: records[i],
      remaining: Math.max(counter.limit - records[i].totalHits, 0),
    }));
    // The tighter answer: a refusal first (the longest wait), else the fewest requests left.
    const tighter = answers.reduce((a, b) => {
      if (a.record.isBlocked !== b.record.isBlocked) return a.record.isBlocked ? a : b;
      if (a.record.isBlocked) return b.record.timeToBlockExpire > a.record.timeToBlockExpire ? b : a;
      return b.remaining < a.remaining ? b : a;
    });
    res.setHeader('X-RateLimit-Limit', String(tighter.counter.limit));
    res.setHeader('X-RateLimit-Remaining', String(tighter.remaining));
    res.setHeader('X-RateLimit-Reset', String(tighter.record.timeToExpire));
    if (tighter.record.isBlocked) {
      throw new AppException('rate_limited', tighter.counter.refusal, {
        headers: { 'Retry-After': String(Math.max(tighter.record.timeToBlockExpire, 1)) },
        extensions: tighter.counter.extensions,
      });
    }
  }

  /**
   * The requests an organization's keys made in the current window of `allowance` (0 if none or
   * unknown), without counting one; never more than the allowance (refused requests do not count).
   */
  async organizationUsage(organizationId: string, allowance: Allowance): Promise<number> {
    if (!this.storage.hits) return 0;
    const hits = await this.storage.hits(organizationCounter(organizationId, allowance), API_KEY_THROTTLER);
    return Math.min(hits, allowance.limit);
  }
}
