import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DiscoveryModule } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { CronJob } from 'cron';
import { AppConfig } from '../config/app-config';
import { InlineJobQueue } from './inline.driver';
import { JobProcessors } from './job-processors';
import { JobQueue } from './job-queue';
import { JobSlots, jobConcurrency } from './job-slots';
import { QueueJob, QueueName } from './queue.constants';
import { Workers } from './workers';

/** Resolves once `check` holds, polling on the event loop (no deadline: jest's timeout is the bound). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

@Processor(QueueName.Outbox)
class RecordingProcessor extends WorkerHost {
  readonly seen: QueueJob[] = [];
  failuresLeft = 0;
  /** While set, every job waits for it (a slow job). */
  gate?: Promise<void>;
  running = 0;
  mostAtOnce = 0;
  async process(job: QueueJob): Promise<void> {
    this.seen.push(job);
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      if (this.gate) await this.gate;
      if (this.failuresLeft-- > 0) throw new Error('not yet');
    } finally {
      this.running--;
    }
  }
}

async function inlineQueue(attempts = 3, concurrency = 4) {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      JobProcessors,
      RecordingProcessor,
      JobSlots,
      {
        provide: AppConfig,
        useValue: { queueAttempts: attempts, queueBackoffMs: 10, jobConcurrency: concurrency },
      },
      { provide: JobQueue, useClass: InlineJobQueue },
    ],
  }).compile();
  await moduleRef.init();
  return { moduleRef, queue: moduleRef.get(JobQueue), processor: moduleRef.get(RecordingProcessor) };
}

describe('inline queue', () => {
  it('runs the @Processor class of the queue, retrying with the configured attempts', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { moduleRef, queue, processor } = await inlineQueue(3);
    expect(moduleRef.get(JobProcessors).get(QueueName.Outbox)).toBe(processor);
    processor.failuresLeft = 2;
    await queue.startWorkers();
    await queue.add(QueueName.Outbox, 'drain', { organizationId: 'org-1' });
    await until(() => processor.seen.length === 3);
    expect(processor.seen.map((j) => j.attemptsMade)).toEqual([0, 1, 2]);
    expect(new Set(processor.seen.map((j) => j.id)).size).toBe(1);
    expect(processor.seen[0]).toMatchObject({ name: 'drain', data: { organizationId: 'org-1' } });
    warnings.mockRestore();
    await moduleRef.close();
  });

  it('gives up after the last attempt and says so', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { moduleRef, queue, processor } = await inlineQueue(2);
    processor.failuresLeft = 5;
    await queue.startWorkers();
    await queue.add(QueueName.Outbox, 'drain', { organizationId: 'org-1' });
    await until(() => errors.mock.calls.some(([, message]) => message === 'job failed permanently'));
    expect(processor.seen).toHaveLength(2);
    errors.mockRestore();
    await moduleRef.close();
  });

  it('runs at most JOB_CONCURRENCY jobs at once; the others wait for a slot and then run', async () => {
    const { moduleRef, queue, processor } = await inlineQueue(1, 3);
    let open!: () => void;
    processor.gate = new Promise<void>((r) => (open = r));
    await queue.startWorkers();
    for (let i = 0; i < 10; i++) await queue.add(QueueName.Outbox, 'drain', { organizationId: `org-${i}` });
    await until(() => processor.seen.length === 3);
    // Many turns of the event loop later, still only three have started.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    expect(processor.seen).toHaveLength(3);
    expect(moduleRef.get(JobSlots).stats).toEqual({ running: 3, waiting: 7 });
    open();
    await until(() => processor.seen.length === 10 && processor.running === 0);
    expect(processor.mostAtOnce).toBe(3);
    // First come, first served.
    expect(processor.seen.map((j) => j.data.organizationId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `org-${i}`),
    );
    expect(moduleRef.get(JobSlots).stats).toEqual({ running: 0, waiting: 0 });
    await moduleRef.close();
  });

  it('refuses a second processor for the same queue', async () => {
    @Processor(QueueName.Outbox)
    class Another extends WorkerHost {
      async process(): Promise<void> {}
    }
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [JobProcessors, RecordingProcessor, Another],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(/already has a processor/);
  });
});

describe('JobSlots', () => {
  it('defaults to half the PostgreSQL pool (at least 1), 4 on PGlite, or JOB_CONCURRENCY', () => {
    expect(jobConcurrency({ databaseDriver: 'postgres', dbPoolSize: 10 })).toBe(5);
    expect(jobConcurrency({ databaseDriver: 'postgres', dbPoolSize: 5 })).toBe(2);
    expect(jobConcurrency({ databaseDriver: 'postgres', dbPoolSize: 1 })).toBe(1);
    expect(jobConcurrency({ databaseDriver: 'pglite', dbPoolSize: 1 })).toBe(4);
    expect(jobConcurrency({ databaseDriver: 'postgres', dbPoolSize: 10, jobConcurrency: 8 })).toBe(8);
  });

  it('gives freed slots to the waiting kinds in turn, so a backlog of one queue does not hold up another', async () => {
    const slots = new JobSlots({ jobConcurrency: 1 } as AppConfig);
    const order: string[] = [];
    let release: (() => void) | undefined;
    const first = slots.run(() => new Promise<void>((r) => (release = r)), 'outbox');
    const all = [
      ...Array.from({ length: 4 }, (_, i) => slots.run(async () => void order.push(`outbox-${i}`), 'outbox')),
      slots.run(async () => void order.push('transfer'), 'transfer'),
      slots.run(async () => void order.push('webhooks'), 'webhooks'),
    ];
    expect(slots.stats).toEqual({ running: 1, waiting: 6 });
    await until(() => release !== undefined);
    release?.();
    await Promise.all([first, ...all]);
    expect(order).toEqual(['outbox-0', 'transfer', 'webhooks', 'outbox-1', 'outbox-2', 'outbox-3']);
    expect(slots.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('runIfFree runs extra work only in a slot free now, never ahead of a waiting job', async () => {
    const slots = new JobSlots({ jobConcurrency: 2 } as AppConfig);
    let release: (() => void) | undefined;
    const held = slots.run(() => new Promise<void>((r) => (release = r)), 'transfer');
    const extra = slots.runIfFree(async () => 'extra');
    expect(extra).not.toBeNull();
    await expect(extra).resolves.toBe('extra');
    expect(slots.stats).toEqual({ running: 1, waiting: 0 });
    // Both slots busy: nothing runs, and nothing waits.
    const second = slots.run(() => new Promise<void>(() => undefined), 'outbox');
    expect(slots.runIfFree(async () => 'none')).toBeNull();
    // A job waits for a slot: the slot that frees goes to it, not to extra work.
    const waiter = slots.run(async () => 'waited', 'webhooks');
    expect(slots.stats).toEqual({ running: 2, waiting: 1 });
    expect(slots.runIfFree(async () => 'none')).toBeNull();
    await until(() => release !== undefined);
    release?.();
    await held;
    await expect(waiter).resolves.toBe('waited');
    expect(slots.runIfFree(async () => 'free')).not.toBeNull();
    void second;
  });

  it('gives the slot back when the work fails', async () => {
    const slots = new JobSlots({ jobConcurrency: 1 } as AppConfig);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
    expect(slots.stats).toEqual({ running: 0, waiting: 0 });
  });
});

describe('Workers', () => {
  const slots = (n = 4) => new JobSlots({ jobConcurrency: n } as AppConfig);
  const fakeQueue = () => {
    const queue = { started: 0, startWorkers: async () => void queue.started++ };
    return queue;
  };

  it('schedules periodic jobs and starts stopped crons only once the processors start', async () => {
    const scheduler = new SchedulerRegistry();
    const queue = fakeQueue();
    const workers = new Workers(queue as unknown as JobQueue, scheduler, slots());
    let runs = 0;
    workers.every('sweep', 5, async () => void runs++);
    const cron = CronJob.from({ cronTime: '0 7 * * *', onTick: () => undefined, start: false });
    scheduler.addCronJob('digest', cron);

    expect(scheduler.getIntervals()).toEqual([]);
    expect(cron.isActive).toBe(false);
    expect(workers.running).toBe(false);

    await workers.start();
    await workers.start();
    expect(queue.started).toBe(1);
    expect(workers.running).toBe(true);
    expect(scheduler.getIntervals()).toEqual(['sweep']);
    expect(cron.isActive).toBe(true);
    await until(() => runs >= 2);

    scheduler.deleteInterval('sweep');
    await cron.stop();
  });

  it('skips a period while the previous run is still going', async () => {
    const scheduler = new SchedulerRegistry();
    const workers = new Workers(fakeQueue() as unknown as JobQueue, scheduler, slots());
    let started = 0;
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    workers.every('slow', 1, async () => {
      started++;
      await blocked;
    });
    await workers.start();
    await until(() => started === 1);
    // Many periods pass while the first run is blocked; none of them starts another run.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    expect(started).toBe(1);
    release();
    await until(() => started === 2);
    scheduler.deleteInterval('slow');
  });

  it('runs periodic jobs within the job slots', async () => {
    const scheduler = new SchedulerRegistry();
    const shared = slots(1);
    const workers = new Workers(fakeQueue() as unknown as JobQueue, scheduler, shared);
    let runs = 0;
    workers.every('sweep', 1, async () => void runs++);
    let release!: () => void;
    // A queue job holds the only slot: the periodic job waits for it.
    const held = shared.run(() => new Promise<void>((r) => (release = r)));
    await workers.start();
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    expect(runs).toBe(0);
    expect(shared.stats).toEqual({ running: 1, waiting: 1 });
    release();
    await held;
    await until(() => runs >= 1);
    scheduler.deleteInterval('sweep');
  });
});
