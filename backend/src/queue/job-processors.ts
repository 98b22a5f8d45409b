import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
// The key `@Processor()` stores its queue name under; @nestjs/bullmq does not re-export it.
import { PROCESSOR_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import { QueueName } from './queue.constants';

/**
 * The `@Processor(QueueName.X)` classes of the application, by queue. BullMQ's explorer finds the
 * same classes for its workers; the inline driver calls their `process(job)` through this.
 */
@Injectable()
export class JobProcessors implements OnModuleInit {
  private readonly byQueue = new Map<QueueName, WorkerHost>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof WorkerHost)) continue;
      const meta = this.reflector.get<{ name?: string } | undefined>(
        PROCESSOR_METADATA,
        instance.constructor,
      );
      const queue = meta?.name as QueueName | undefined;
      if (!queue) continue;
      if (this.byQueue.has(queue)) throw new Error(`Queue ${queue} already has a processor`);
      this.byQueue.set(queue, instance as WorkerHost);
    }
  }

  get(queue: QueueName): WorkerHost {
    const processor = this.byQueue.get(queue);
    if (!processor) throw new Error(`No processor is registered for queue ${queue}`);
    return processor;
  }

  all(): Array<[QueueName, WorkerHost]> {
    return [...this.byQueue];
  }
}
