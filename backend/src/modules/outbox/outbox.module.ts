import { Module } from '@nestjs/common';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxProcessor } from './outbox.processor';
import { OutboxService } from './outbox.service';
import { OutboxPruner } from './outbox-pruner';
import { OutboxSweeper } from './outbox-sweeper';

@Module({
  providers: [OutboxService, OutboxConsumers, OutboxProcessor, OutboxSweeper, OutboxPruner],
  exports: [OutboxService, OutboxConsumers],
})
export class OutboxModule {}
