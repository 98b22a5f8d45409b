import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { BullMqJobQueue } from './bullmq.driver';
import { InlineJobQueue } from './inline.driver';
import { JobHandlers } from './job-handlers';
import { JobQueue } from './job-queue';

/** BullMQ when REDIS_URL is configured, the inline driver otherwise; producers only see JobQueue. */
@Module({
  providers: [
    JobHandlers,
    {
      provide: JobQueue,
      inject: [JobHandlers, AppConfig],
      useFactory: (handlers: JobHandlers, config: AppConfig) =>
        config.queueDriver === 'bullmq'
          ? new BullMqJobQueue(handlers, config)
          : new InlineJobQueue(handlers, config),
    },
  ],
  exports: [JobQueue, JobHandlers],
})
export class QueueModule {}
