import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';
import { Workers } from '../../queue/workers';

/**
 * Re-enqueues a drain for organizations whose outbox rows were never nudged (the enqueue after
 * commit failed, e.g. Redis was down, or the process died in between). A periodic job every
 * OUTBOX_SWEEP_INTERVAL_MS, run only by processes that run the processors.
 */
@Injectable()
export class OutboxSweeper implements OnModuleInit {
  private readonly logger = new Logger(OutboxSweeper.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly queue: JobQueue,
    private readonly workers: Workers,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.workers.every('outbox-sweep', this.config.outboxSweepIntervalMs, () => this.sweep());
  }

  /** Enqueues a drain for every organization with rows older than one sweep interval. */
  async sweep(): Promise<number> {
    try {
      const rows: Array<{ organization_id: string }> = await this.transactions.run(
        { organizationId: null, userId: null, system: true },
        (em) =>
          em.query(
            `SELECT DISTINCT organization_id FROM outbox_events
              WHERE processed_at IS NULL AND created_at < clock_timestamp() - make_interval(secs => $1)`,
            [this.config.outboxSweepIntervalMs / 1000],
          ),
      );
      for (const { organization_id } of rows) {
        await this.queue.add(QueueName.Outbox, 'drain', { organizationId: organization_id });
      }
      return rows.length;
    } catch (err) {
      this.logger.warn({ err }, 'outbox sweep failed; will try again');
      return 0;
    }
  }
}
