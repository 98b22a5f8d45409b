import { Module } from '@nestjs/common';
import { QueueModule } from '../../queue/queue.module';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxProcessor } from './outbox.processor';
import { OutboxService } from './outbox.service';

@Module({
  imports: [QueueModule],
  providers: [OutboxService, OutboxConsumers, OutboxProcessor],
  exports: [OutboxService, OutboxConsumers],
})
export class OutboxModule {}
