import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SessionRevocations } from './session-revocations';

/**
 * The list of ended sessions: the auth services add to it, the JWT strategy reads it. Its own module so
 * that authz can import it without the rest of AuthModule.
 */
@Module({
  providers: [
    {
      provide: SessionRevocations,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new SessionRevocations(config),
    },
  ],
  exports: [SessionRevocations],
})
export class SessionRevocationsModule {}
