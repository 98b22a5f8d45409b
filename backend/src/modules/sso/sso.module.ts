import { Module } from '@nestjs/common';
import { SecurityModule } from '../../common/security/security.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { SamlController } from './saml.controller';
import { SamlService } from './saml.service';
import { SsoDiscoveryController } from './sso-discovery.controller';
import { SsoDiscoveryService } from './sso-discovery.service';
import { SsoSettingsController } from './sso-settings.controller';
import { SsoSettingsService } from './sso-settings.service';
import { SsoProvisioningService } from './sso-provisioning.service';

/** SAML single sign-on: per-organization IdP settings and the SP endpoints. */
@Module({
  imports: [AuditModule, AuthModule, OrganizationsModule, SecurityModule],
  controllers: [SsoSettingsController, SamlController, SsoDiscoveryController],
  providers: [SsoSettingsService, SamlService, SsoProvisioningService, SsoDiscoveryService],
})
export class SsoModule {}
