import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { InvitationsService } from './invitations.service';
import { OrganizationSettingsController } from './organization-settings.controller';
import { OrganizationSettingsRepository } from './organization-settings.repository';
import { OrganizationSettingsService } from './organization-settings.service';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';

/** Organizations, memberships and invitations; other modules add organizations and members through its service. */
@Module({
  imports: [AuditModule, BillingModule, MailModule, OutboxModule],
  controllers: [OrganizationsController, OrganizationSettingsController],
  providers: [
    OrganizationsService,
    InvitationsService,
    OrganizationSettingsRepository,
    OrganizationSettingsService,
  ],
  exports: [OrganizationsService, OrganizationSettingsService, InvitationsService],
})
export class OrganizationsModule {}
