import { Global, Module } from '@nestjs/common';
import { OutboxConsumers } from './outbox-consumers';
import { OutboxProcessor } from './outbox.processor';
import { OutboxService } from './outbox.service';

@Global()
@Module({
  providers: [OutboxService, OutboxConsumers, OutboxProcessor],
  exports: [OutboxService, OutboxConsumers, OutboxProcessor],
})
export class OutboxModule {}
