import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { SecurityModule } from '../../common/security/security.module';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AccountLinksService } from './account-links.service';
import { AccountEvents } from './accounts';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { RefreshCookie } from './refresh-cookie';
import { SessionRevocationsModule } from './session-revocations.module';
import { SessionsService } from './sessions.service';

/** Accounts and sessions; issues the access tokens that authz's JWT strategy verifies. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.jwtAccessTtlSeconds },
      }),
    }),
    AuditModule,
    MailModule,
    OrganizationsModule,
    SecurityModule,
    SessionRevocationsModule,
  ],
  controllers: [AuthController],
  providers: [AuthService, SessionsService, AccountLinksService, AccountEvents, LoginThrottle, RefreshCookie],
  exports: [AuthService, SessionsService],
})
export class AuthModule {}
