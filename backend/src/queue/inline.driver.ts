import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { JobProcessors } from './job-processors';
import { JobQueue } from './job-queue';
import { JobSlots } from './job-slots';
import { JobData, QueueJob, QueueName } from './queue.constants';

/**
 * The embedded driver: jobs run in this process right after they are added, through the same
 * `@Processor` classes BullMQ runs, with the same attempts and exponential backoff. Nothing persists
 * here, which is fine for its users: the outbox keeps undelivered changes in the database and its
 * sweeper re-enqueues them. At most JOB_CONCURRENCY jobs run at once (JobSlots); the others wait
 * in memory for a slot, so a backlog never takes the connections requests need.
 */
@Injectable()
export class InlineJobQueue extends JobQueue implements BeforeApplicationShutdown {
  readonly driver = 'inline' as const;
  private readonly logger = new Logger('InlineQueue');
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private consuming = false;
  private closed = false;

  constructor(
    private readonly processors: JobProcessors,
    private readonly config: AppConfig,
    private readonly slots: JobSlots,
  ) {
    super();
  }

  async add(queue: QueueName, name: string, data: JobData): Promise<void> {
    if (this.closed) throw new Error('The queue is shut down');
    this.schedule(queue, { id: randomUUID(), name, data, attemptsMade: 0 }, 0);
  }

  async startWorkers(): Promise<void> {
    this.consuming = true;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('The queue is shut down');
  }

  private schedule(queue: QueueName, job: QueueJob, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.execute(queue, job).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delay);
    this.timers.add(timer);
  }

  private async execute(queue: QueueName, job: QueueJob): Promise<void> {
    if (!this.consuming || this.closed) return;
    const attempt = job.attemptsMade + 1;
    try {
      // Processors read only the QueueJob fields of BullMQ's Job.
      await this.slots.run(
        () => (this.closed ? Promise.resolve() : this.processors.get(queue).process(job as Job)),
        queue,
      );
    } catch (err) {
      if (attempt < this.config.queueAttempts && !this.closed) {
        const delay = this.config.queueBackoffMs * 2 ** (attempt - 1);
        this.logger.warn(
          { err, queue, job: job.name, jobId: job.id, attempt, retryInMs: delay },
          'job failed, will retry',
        );
        this.schedule(queue, { ...job, attemptsMade: attempt }, delay);
      } else {
        this.logger.error(
          { err, queue, job: job.name, jobId: job.id, attempt, data: job.data },
          'job failed permanently',
        );
      }
    }
  }

  /**
   * Running jobs finish before the database pool closes (TypeORM closes it at
   * onApplicationShutdown): a job still waiting for a connection then would wait forever.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
