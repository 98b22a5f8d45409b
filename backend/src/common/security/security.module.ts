import { Module } from '@nestjs/common';
import { seconds, ThrottlerModule } from '@nestjs/throttler';
import IORedis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { PlanApiLimits } from '../../modules/billing/plan-api-limits';
import { API_KEY_THROTTLER, ApiKeyLimits, ApiKeyThrottler } from './api-key-throttler';
import { FailureCounters } from './failure-counters';
import { rateLimitRedisOptions } from './redis-options';
import { FallbackThrottlerStorage } from './throttler-storage';

const redisFor = (config: AppConfig) =>
  config.redisUrl ? new IORedis(config.redisUrl, rateLimitRedisOptions(config)) : undefined;

/**
 * Rate limits: @nestjs/throttler's module holds the named throttlers and the storage (Redis when
 * configured, memory otherwise and during a Redis outage); ApiKeyThrottler applies the `api-key`
 * throttler; FailureCounters keeps the sign-in failure counts. Not global: the modules that
 * inject one of them (authz, auth, sso, billing) import it.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          {
            name: API_KEY_THROTTLER,
            limit: config.apiKeyRateLimit,
            ttl: seconds(config.apiKeyRateWindowSeconds),
          },
        ],
        storage: new FallbackThrottlerStorage(redisFor(config)),
      }),
    }),
  ],
  providers: [
    // Per-plan API request limits (docs/billing.md): the organization's plan, and API_KEY_RATE_LIMIT per key.
    { provide: ApiKeyLimits, useClass: PlanApiLimits },
    ApiKeyThrottler,
    {
      provide: FailureCounters,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => new FailureCounters(redisFor(c)),
    },
  ],
  exports: [ApiKeyThrottler, FailureCounters],
})
export class SecurityModule {}
