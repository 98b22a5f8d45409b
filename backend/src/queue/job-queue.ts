import type { QueueDriver } from '../config/app-config';
import type { JobData, QueueName } from './queue.constants';

/** What producers see; the driver behind it is BullMQ (Redis) or inline (in-process). */
export abstract class JobQueue {
  abstract readonly driver: QueueDriver;
  /** Resolves once the job is accepted; rejects promptly when the broker is unreachable. */
  abstract add(queue: QueueName, name: string, data: JobData): Promise<void>;
  /** Starts consuming with the `@Processor` classes (called through `Workers.start()`). */
  abstract startWorkers(): Promise<void>;
  /** Throws when the queue cannot accept work. */
  abstract ping(): Promise<void>;
}
