import { Injectable } from '@nestjs/common';
import { JobHandler, QueueName } from './queue.constants';

/** Processors register here; both drivers run exactly these handlers. */
@Injectable()
export class JobHandlers {
  private readonly handlers = new Map<QueueName, JobHandler>();

  register(queue: QueueName, handler: JobHandler): void {
    if (this.handlers.has(queue)) throw new Error(`Queue ${queue} already has a processor`);
    this.handlers.set(queue, handler);
  }

  get(queue: QueueName): JobHandler {
    const handler = this.handlers.get(queue);
    if (!handler) throw new Error(`No processor is registered for queue ${queue}`);
    return handler;
  }

  queues(): QueueName[] {
    return [...this.handlers.keys()];
  }
}
