import type { Job, WorkerOptions } from 'bullmq';

/** Every queue the system uses; one `<domain>.processor.ts` handles each. */
export enum QueueName {
  Outbox = 'outbox',
  Webhooks = 'webhooks',
  TestRuns = 'test-runs',
  Transfer = 'transfer',
}

/** Every job carries the organization it belongs to, so its processor re-enters that tenant. */
export interface JobData {
  organizationId: string;
  [key: string]: unknown;
}

/**
 * What a processor may read of a job. BullMQ's `Job` has it; the inline driver builds the same
 * fields, so one processor class runs under both drivers.
 */
export type QueueJob<T extends JobData = JobData> = Pick<Job<T>, 'id' | 'name' | 'data' | 'attemptsMade'>;

/**
 * Worker options of every `@Processor` (BullMQ only; the inline driver runs jobs as they come).
 * `runRetryDelay`: the producer connection fails fast while Redis is down (see QueueModule), so a
 * worker's fetch fails too; retrying after 2 s instead of BullMQ's 15 s resumes soon after Redis does.
 */
export const WORKER_OPTIONS: Partial<WorkerOptions> = { concurrency: 4, runRetryDelay: 2000 };
