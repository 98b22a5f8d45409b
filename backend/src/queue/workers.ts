import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { JobQueue } from './job-queue';
import { JobSlots } from './job-slots';

/**
 * `@Cron` options of a job that only processes running the job processors run: it is registered
 * stopped, and `Workers.start()` starts it (every `@Cron` of the application uses these).
 */
export const WITH_WORKERS = { disabled: true, waitForCompletion: true } as const;

interface IntervalJob {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * What runs only in a process that runs the job processors (the API with WORKERS=inline or the
 * inline queue, and worker.ts): the queue consumers and the periodic jobs. Periodic jobs are
 * @nestjs/schedule jobs: `@Cron(..., WITH_WORKERS)` for fixed times, and `every()` for periods
 * taken from the configuration, added to the SchedulerRegistry when the workers start (which also
 * clears them at shutdown).
 */
@Injectable()
export class Workers {
  private readonly logger = new Logger('Workers');
  private readonly intervals: IntervalJob[] = [];
  private started = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly scheduler: SchedulerRegistry,
    private readonly slots: JobSlots,
  ) {}

  /** Whether this process runs the processors and periodic jobs. */
  get running(): boolean {
    return this.started;
  }

  /**
   * Declares a periodic job (call it in onModuleInit). A run that is still going when the next
   * one is due makes that one skip, so slow runs never pile up. Runs take a job slot (JobSlots)
   * like queue jobs: they use the same database pool.
   */
  every(name: string, everyMs: number, run: () => Promise<unknown>): void {
    const job = { name, everyMs, run };
    this.intervals.push(job);
    if (this.started) this.schedule(job);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.queue.startWorkers();
    for (const job of this.intervals) this.schedule(job);
    for (const cron of this.scheduler.getCronJobs().values()) if (!cron.isActive) cron.start();
  }

  private schedule(job: IntervalJob): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.slots
        .run(job.run, 'periodic')
        .catch((err: unknown) =>
          this.logger.warn({ err, job: job.name }, 'periodic job failed; runs again next period'),
        )
        .finally(() => (busy = false));
    }, job.everyMs);
    timer.unref();
    this.scheduler.addInterval(job.name, timer);
  }
}
