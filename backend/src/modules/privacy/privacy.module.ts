import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { SessionRevocationsModule } from '../auth/session-revocations.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';

/** GDPR: personal data export and erasure (docs/compliance.md#gdpr). */
@Module({
  imports: [AuditModule, AuthModule, OrganizationsModule, SessionRevocationsModule],
  controllers: [PrivacyController],
  providers: [PrivacyService, PrivacyRepository],
  exports: [PrivacyService],
})
export class PrivacyModule {}
