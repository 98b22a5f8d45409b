import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ActivityController } from './activity.controller';
import { ActivityService } from './activity.service';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

/** Threaded comments with e-mail mentions, and the organization's activity feed. */
@Module({
  imports: [AuditModule, MailModule, OutboxModule],
  controllers: [CommentsController, ActivityController],
  providers: [CommentsService, ActivityService],
})
export class CollaborationModule {}
