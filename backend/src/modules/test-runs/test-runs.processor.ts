import { Injectable, OnModuleInit } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { JobData, QueueJob, QueueName, WORKER_OPTIONS } from '../../queue/queue.constants';
import { Workers } from '../../queue/workers';
import { TestRunner } from './test-runner';

/** How often unfinished test runs no worker holds are enqueued again. */
export const RESUME_INTERVAL_MS = 30_000;

/**
 * The test-runs queue's processor. Jobs are idempotent: a run that is finished or held by another
 * job is left alone, and a resumed one skips the pairs that have results.
 */
@Processor(QueueName.TestRuns, WORKER_OPTIONS)
export class TestRunsProcessor extends WorkerHost {
  constructor(private readonly runner: TestRunner) {
    super();
  }

  async process(job: QueueJob<JobData>): Promise<void> {
    const { organizationId, testRunId } = job.data;
    if (typeof testRunId !== 'string') return;
    await this.runner.run(organizationId, testRunId);
  }
}

/**
 * Every RESUME_INTERVAL_MS (in processes that run the processors): enqueues test runs whose
 * enqueue was lost or whose worker stopped (a restart, a crash), so they resume.
 */
@Injectable()
export class TestRunResumer implements OnModuleInit {
  constructor(
    private readonly workers: Workers,
    private readonly runner: TestRunner,
  ) {}

  onModuleInit(): void {
    this.workers.every('test-run-resume', RESUME_INTERVAL_MS, () => this.runner.resumeStalled());
  }
}
