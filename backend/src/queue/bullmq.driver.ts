import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { BullRegistrar } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { JobProcessors } from './job-processors';
import { JobQueue } from './job-queue';
import { JobSlots } from './job-slots';
import { JobData, QueueName } from './queue.constants';

const ADD_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** How long shutdown waits for connections still being set up. */
const SETTLE_TIMEOUT_MS = 2000;

/**
 * BullMQ on Redis through @nestjs/bullmq: the queues are `BullModule.registerQueue` providers, the
 * workers are the `@Processor` classes, registered by BullModule only once this process is told to
 * run them (`manualRegistration`, then `startWorkers`), so an API with WORKERS=off only produces.
 * Durable jobs, retries with exponential backoff, failed jobs kept in Redis.
 */
export class BullMqJobQueue extends JobQueue implements BeforeApplicationShutdown {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullMQ');
  private workersStarted = false;

  constructor(
    private readonly queues: Map<QueueName, Queue>,
    private readonly registrar: BullRegistrar,
    private readonly processors: JobProcessors,
    private readonly slots: JobSlots,
  ) {
    super();
    // An EventEmitter without an 'error' listener throws: a Redis outage would crash the process.
    for (const [name, queue] of queues) {
      queue.on('error', (err) => this.logger.debug({ err, queue: name }, 'queue connection error'));
    }
  }

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not registered`);
    return queue;
  }

  async add(queue: QueueName, name: string, data: JobData): Promise<void> {
    await withTimeout(this.queue(queue).add(name, data), ADD_TIMEOUT_MS, `enqueue ${queue}/${name}`);
  }

  async startWorkers(): Promise<void> {
    if (this.workersStarted) return;
    this.workersStarted = true;
    // Each queue's worker takes up to WORKER_OPTIONS.concurrency jobs from Redis, but they run within
    // the process-wide JobSlots bound (4 queues × 4 would be more than the database pool): the
    // registrar binds `process` when it creates the worker, so the bounded one is put in place
    // first. A job waiting for a slot is active in Redis and its lock is renewed meanwhile.
    for (const [name, processor] of this.processors.all()) {
      const process = processor.process.bind(processor);
      processor.process = (job: Job, token?: string) => this.slots.run(() => process(job, token), name);
    }
    this.registrar.register();
    for (const [name, processor] of this.processors.all()) {
      processor.worker.on('failed', (job: Job | undefined, err: Error) => {
        const final = !!job && job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger[final ? 'error' : 'warn'](
          {
            err,
            queue: name,
            job: job?.name,
            jobId: job?.id,
            attempt: job?.attemptsMade,
            data: final ? (job?.data as JobData) : undefined,
          },
          final ? 'job failed permanently (kept in the failed set)' : 'job failed, will retry',
        );
      });
      processor.worker.on('error', (err) =>
        this.logger.warn({ err, queue: name }, 'worker connection error'),
      );
    }
    this.logger.log(
      `workers consuming: ${
        this.processors
          .all()
          .map(([name]) => name)
          .join(', ') || 'none'
      }`,
    );
  }

  async ping(): Promise<void> {
    const [queue] = this.queues.values();
    // BullMQ's client is a proxy over the ioredis client; its typed interface just omits PING.
    const ping = (client: unknown) => (client as { ping(): Promise<string> }).ping();
    await withTimeout(queue.client.then(ping), 1000, 'redis ping');
  }

  /**
   * Workers finish their current job before the database pool and the queues close (BullModule
   * would close them only at onApplicationShutdown, alongside the pool).
   */
  async beforeApplicationShutdown(): Promise<void> {
    // A queue or worker still setting up its Redis connection when it is closed makes BullMQ emit
    // an error on a connection nobody listens to any more (a crash): let the setups settle first,
    // bounded (Redis may be down).
    const workers = this.workersStarted ? this.processors.all().map(([, processor]) => processor.worker) : [];
    await Promise.allSettled(
      [...this.queues.values(), ...workers].map((client) =>
        withTimeout(client.waitUntilReady(), SETTLE_TIMEOUT_MS, 'redis connection setup'),
      ),
    );
    if (!this.workersStarted) return;
    await Promise.allSettled(workers.map((worker) => worker.close()));
  }
}
