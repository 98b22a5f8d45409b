import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from './job-handlers';
import { JobQueue } from './job-queue';
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

/** BullMQ on Redis: durable jobs, retries with exponential backoff, failed jobs kept in Redis. */
@Injectable()
export class BullMqJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullMQ');
  private readonly producer: IORedis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: IORedis[] = [];

  constructor(
    private readonly handlers: JobHandlers,
    private readonly config: AppConfig,
  ) {
    super();
    // Producers fail fast while Redis is down (no offline queue): the outbox keeps the change and
    // its sweeper enqueues it again once Redis is back.
    this.producer = new IORedis(this.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    this.producer.on('error', (err) => this.logger.debug({ err }, 'producer connection error'));
  }

  private get redisUrl(): string {
    if (!this.config.redisUrl) throw new Error('REDIS_URL is required for the BullMQ driver');
    return this.config.redisUrl;
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.producer,
        prefix: this.config.queuePrefix,
        defaultJobOptions: {
          attempts: this.config.queueAttempts,
          backoff: { type: 'exponential', delay: this.config.queueBackoffMs },
          removeOnComplete: 1000,
          removeOnFail: false,
        },
      });
      queue.on('error', (err) => this.logger.debug({ err, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add(queue: QueueName, name: string, data: JobData): Promise<void> {
    await withTimeout(this.queue(queue).add(name, data), ADD_TIMEOUT_MS, `enqueue ${queue}/${name}`);
  }

  async startWorkers(): Promise<void> {
    const options: RedisOptions = { maxRetriesPerRequest: null };
    for (const name of this.handlers.queues()) {
      const handler = this.handlers.get(name);
      const connection = new IORedis(this.redisUrl, options);
      connection.on('error', (err) => this.logger.debug({ err, queue: name }, 'worker connection error'));
      this.workerConnections.push(connection);
      const worker = new Worker(
        name,
        async (job) => handler(job.data as JobData, { id: String(job.id), attempt: job.attemptsMade + 1 }),
        { connection, prefix: this.config.queuePrefix, concurrency: 4, autorun: true },
      );
      worker.on('failed', (job, err) => {
        const final = job && job.attemptsMade >= (job.opts.attempts ?? 1);
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
      worker.on('error', (err) => this.logger.warn({ err, queue: name }, 'worker connection error'));
      this.workers.push(worker);
    }
    this.logger.log(`workers consuming: ${this.handlers.queues().join(', ') || 'none'}`);
  }

  async ping(): Promise<void> {
    await withTimeout(this.producer.ping(), 1000, 'redis ping');
  }

  async onApplicationShutdown(): Promise<void> {
    // Workers finish their current job before closing; producers close after them.
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    // Connections passed in are ours to close; BullMQ only closes those it created itself.
    for (const connection of this.workerConnections) connection.disconnect();
    this.producer.disconnect();
  }
}
