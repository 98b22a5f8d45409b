import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobData, QueueJob, QueueName, WORKER_OPTIONS } from '../../queue/queue.constants';
import { JobQueue } from '../../queue/job-queue';
import { Workers } from '../../queue/workers';
import { ExportRunner } from './export-runner';
import { ExportsRepository } from './exports.repository';
import { ImportRowsRepository } from './import-rows.repository';
import { ImportRunner } from './import-runner';
import { ImportsRepository } from './imports.repository';

/** Done imports whose rows a sweep compacts at most (ImportRowsRepository.compact). */
const COMPACT_PER_SWEEP = 5;

const userOf = (data: JobData): string | null => (typeof data.userId === 'string' ? data.userId : null);

/**
 * The transfer queue's processor: `validate-import`, `commit-import` and `run-export`. Each job is
 * idempotent (it re-reads the import's or export's status under a row lock and does only what is
 * left), so a job enqueued twice, or again by the sweeper, does nothing twice.
 */
@Processor(QueueName.Transfer, WORKER_OPTIONS)
export class TransferProcessor extends WorkerHost {
  constructor(
    private readonly imports: ImportRunner,
    private readonly exportRunner: ExportRunner,
  ) {
    super();
  }

  async process(job: QueueJob<JobData>): Promise<void> {
    const { organizationId, importId, exportId } = job.data;
    if (job.name === 'validate-import' && typeof importId === 'string')
      await this.imports.validate(organizationId, importId, userOf(job.data));
    else if (job.name === 'commit-import' && typeof importId === 'string')
      await this.imports.commit(organizationId, importId, userOf(job.data));
    else if (job.name === 'run-export' && typeof exportId === 'string')
      await this.exportRunner.run(organizationId, exportId, userOf(job.data));
  }
}

/**
 * Every TRANSFER_SWEEP_INTERVAL_MS (in processes that run the processors): enqueues again the
 * imports and exports whose job stopped (a killed process, a lost enqueue: silent for
 * TRANSFER_STALE_MS), deletes the files of expired exports, and empties the records kept in the
 * rows of done imports (a few imports a sweep, each in its organization's transaction).
 */
@Injectable()
export class TransferSweeper implements OnModuleInit {
  private readonly logger = new Logger(TransferSweeper.name);

  constructor(
    private readonly workers: Workers,
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
    private readonly importsRepo: ImportsRepository,
    private readonly importRows: ImportRowsRepository,
    private readonly exportsRepo: ExportsRepository,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    this.workers.every('transfer-sweep', this.config.transfer.sweepIntervalMs, () => this.sweep());
  }

  async sweep(now = new Date()): Promise<void> {
    const before = new Date(now.getTime() - this.config.transfer.staleMs);
    const system = { organizationId: null, userId: null, system: true };
    const { imports, exports, done } = await this.transactions.run(system, async () => {
      const stalledImports = await this.importsRepo.stalled(before);
      for (const i of stalledImports) await this.importsRepo.touch(i.id);
      const stalledExports = await this.exportsRepo.stalled(before);
      for (const e of stalledExports) await this.exportsRepo.touch(e.id);
      const dropped = await this.exportsRepo.dropExpired(now);
      if (dropped) this.logger.log({ dropped }, 'expired export files deleted');
      const done = await this.importsRepo.uncompacted(COMPACT_PER_SWEEP);
      return { imports: stalledImports, exports: stalledExports, done };
    });
    for (const i of imports) {
      this.logger.warn({ importId: i.id, status: i.status }, 'resuming a stopped import');
      await this.queue.add(
        QueueName.Transfer,
        i.status === 'validating' ? 'validate-import' : 'commit-import',
        {
          organizationId: i.organization_id,
          importId: i.id,
          userId: i.created_by,
        },
      );
    }
    for (const e of exports) {
      this.logger.warn({ exportId: e.id }, 'resuming a stopped export');
      await this.queue.add(QueueName.Transfer, 'run-export', {
        organizationId: e.organization_id,
        exportId: e.id,
        userId: e.created_by,
      });
    }
    for (const i of done)
      await this.transactions.run({ organizationId: i.organization_id, userId: null }, async () => {
        await this.importRows.compact(i.id);
        await this.importsRepo.markCompacted(i.id);
      });
  }
}
