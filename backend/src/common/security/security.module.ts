import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MemoryRateLimiter, RateLimiter, RedisRateLimiter } from './rate-limiter';

@Global()
@Module({
  providers: [
    {
      provide: RateLimiter,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.redisUrl ? new RedisRateLimiter(config) : new MemoryRateLimiter(),
    },
  ],
  exports: [RateLimiter],
})
export class SecurityModule {}
