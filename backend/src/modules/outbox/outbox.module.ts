import { Module } from '@nestjs/common';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxProcessor } from './outbox.processor';
import { OutboxService } from './outbox.service';
import { OutboxSweeper } from './outbox-sweeper';

@Module({
  providers: [OutboxService, OutboxConsumers, OutboxProcessor, OutboxSweeper],
  exports: [OutboxService, OutboxConsumers],
})
export class OutboxModule {}
