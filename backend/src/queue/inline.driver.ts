import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from './job-handlers';
import { JobQueue } from './job-queue';
import { JobData, QueueName } from './queue.constants';

/**
 * The embedded driver: jobs run in this process right after they are added, with the same
 * attempts and exponential backoff as BullMQ. Nothing persists here, which is fine for its users:
 * the outbox keeps undelivered changes in the database and its sweeper re-enqueues them.
 */
@Injectable()
export class InlineJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly driver = 'inline' as const;
  private readonly logger = new Logger('InlineQueue');
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private consuming = false;
  private closed = false;

  constructor(
    private readonly handlers: JobHandlers,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async add(queue: QueueName, name: string, data: JobData): Promise<void> {
    if (this.closed) throw new Error('The queue is shut down');
    const id = randomUUID();
    this.schedule(queue, name, data, id, 1, 0);
  }

  async startWorkers(): Promise<void> {
    this.consuming = true;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('The queue is shut down');
  }

  private schedule(
    queue: QueueName,
    name: string,
    data: JobData,
    id: string,
    attempt: number,
    delay: number,
  ): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.execute(queue, name, data, id, attempt).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delay);
    this.timers.add(timer);
  }

  private async execute(
    queue: QueueName,
    name: string,
    data: JobData,
    id: string,
    attempt: number,
  ): Promise<void> {
    if (!this.consuming || this.closed) return;
    try {
      await this.handlers.get(queue)(data, { id, attempt });
    } catch (err) {
      const attempts = this.config.queueAttempts;
      if (attempt < attempts && !this.closed) {
        const delay = this.config.queueBackoffMs * 2 ** (attempt - 1);
        this.logger.warn(
          { err, queue, job: name, jobId: id, attempt, retryInMs: delay },
          'job failed, will retry',
        );
        this.schedule(queue, name, data, id, attempt + 1, delay);
      } else {
        this.logger.error({ err, queue, job: name, jobId: id, attempt, data }, 'job failed permanently');
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
