import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { SamlController } from './saml.controller';
import { SamlService } from './saml.service';
import { SsoSettingsController } from './sso-settings.controller';
import { SsoSettingsService } from './sso-settings.service';

/** SAML single sign-on: per-organization IdP settings and the SP endpoints. */
@Module({
  imports: [AuditModule, AuthModule],
  controllers: [SsoSettingsController, SamlController],
  providers: [SsoSettingsService, SamlService],
})
export class SsoModule {}
