import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ActivityController } from './activity.controller';
import { ActivityRepository } from './activity.repository';
import { ActivityService } from './activity.service';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';

/** Threaded comments with e-mail mentions, and the organization's activity feed. */
@Module({
  imports: [AuditModule, MailModule, OutboxModule, PromptDataModule],
  controllers: [CommentsController, ActivityController],
  providers: [CommentsService, CommentsRepository, ActivityService, ActivityRepository],
})
export class CollaborationModule {}
