import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule, BullRegistrar, getQueueToken } from '@nestjs/bullmq';
import { ScheduleModule } from '@nestjs/schedule';
import type { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { BullMqJobQueue } from './bullmq.driver';
import { InlineJobQueue } from './inline.driver';
import { JobProcessors } from './job-processors';
import { JobQueue } from './job-queue';
import { JobSlots } from './job-slots';
import { QueueName } from './queue.constants';
import { Workers } from './workers';

const QUEUES = Object.values(QueueName);

/**
 * Background work: BullMQ through @nestjs/bullmq when REDIS_URL is configured, the inline driver
 * otherwise; producers only see JobQueue, processors are `@Processor` classes in their domain
 * modules, and periodic jobs run through @nestjs/schedule (see Workers). Global like config and
 * the database: it is infrastructure every domain module's outbox writes go through.
 */
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    const common = {
      module: QueueModule,
      global: true,
      exports: [JobQueue, Workers, JobSlots],
    };
    const shared = [JobProcessors, Workers, JobSlots];
    if (config.queueDriver !== 'bullmq') {
      return {
        ...common,
        imports: [DiscoveryModule, ScheduleModule.forRoot()],
        providers: [...shared, { provide: JobQueue, useClass: InlineJobQueue }],
      };
    }
    return {
      ...common,
      imports: [
        DiscoveryModule,
        ScheduleModule.forRoot(),
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (cfg: AppConfig) => ({
            // One connection setup for producers and workers (BullModule gives the workers the
            // queues' connection). No offline queue: while Redis is down an enqueue fails at once
            // instead of holding the request; the outbox keeps the change and its sweeper enqueues
            // it again. Workers retry their fetch (WORKER_OPTIONS.runRetryDelay) until Redis is back.
            connection: { url: cfg.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: null },
            prefix: cfg.queuePrefix,
            defaultJobOptions: {
              attempts: cfg.queueAttempts,
              backoff: { type: 'exponential', delay: cfg.queueBackoffMs },
              removeOnComplete: 1000,
              removeOnFail: false,
            },
          }),
          // Workers start only where processors run (Workers.start), not in every API process.
          extraOptions: { manualRegistration: true },
        }),
        BullModule.registerQueue(...QUEUES.map((name) => ({ name }))),
      ],
      providers: [
        ...shared,
        {
          provide: JobQueue,
          inject: [BullRegistrar, JobProcessors, JobSlots, ...QUEUES.map((name) => getQueueToken(name))],
          useFactory: (
            registrar: BullRegistrar,
            processors: JobProcessors,
            slots: JobSlots,
            ...queues: Queue[]
          ) =>
            new BullMqJobQueue(
              new Map(QUEUES.map((name, i) => [name, queues[i]])),
              registrar,
              processors,
              slots,
            ),
        },
      ],
    };
  }
}
