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
  async process(job: QueueJob): Promise<void> {
    this.seen.push(job);
    if (this.failuresLeft-- > 0) throw new Error('not yet');
  }
}

async function inlineQueue(attempts = 3) {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      JobProcessors,
      RecordingProcessor,
      { provide: AppConfig, useValue: { queueAttempts: attempts, queueBackoffMs: 10 } },
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

describe('Workers', () => {
  const fakeQueue = () => {
    const queue = { started: 0, startWorkers: async () => void queue.started++ };
    return queue;
  };

  it('schedules periodic jobs and starts stopped crons only once the processors start', async () => {
    const scheduler = new SchedulerRegistry();
    const queue = fakeQueue();
    const workers = new Workers(queue as unknown as JobQueue, scheduler);
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
    const workers = new Workers(fakeQueue() as unknown as JobQueue, scheduler);
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
});
