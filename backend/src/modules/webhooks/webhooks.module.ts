import { Module } from '@nestjs/common';
import { MasterKeyModule } from '../../common/security/master-key.module';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { OutboxModule } from '../outbox/outbox.module';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookOutboxConsumer } from './webhook-outbox.consumer';
import { WebhooksController } from './webhooks.controller';
import { WebhookDispatcher, WebhooksProcessor } from './webhooks.processor';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Signed outbound webhooks fed by the outbox (docs/webhooks.md). */
@Module({
  imports: [AuditModule, MailModule, MasterKeyModule, OrganizationsModule, OutboxModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhooksRepository,
    WebhookDeliveriesRepository,
    WebhookDeliverer,
    WebhookOutboxConsumer,
    WebhooksProcessor,
    WebhookDispatcher,
  ],
  exports: [WebhooksService],
})
export class WebhooksModule {}
