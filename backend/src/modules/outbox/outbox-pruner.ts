import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { WITH_WORKERS } from '../../queue/workers';

/** Rows deleted per transaction: short locks and bounded WAL however many rows are due. */
export const OUTBOX_PRUNE_CHUNK = 10_000;

/**
 * Deletes delivered outbox rows once they are older than OUTBOX_RETENTION_DAYS (daily, in the
 * processes that run the workers), so the table holds the recent past and what is still
 * undelivered instead of every change ever made. Kept whatever their age: rows not delivered yet
 * (`processed_at IS NULL`), and `prompt.deleted` rows, whose payload the activity feed reads to
 * decide who may see a deletion audited before its audit entry carried the prompt's visibility
 * (audit entries are hash-chained and are never rewritten).
 */
@Injectable()
export class OutboxPruner {
  private readonly logger = new Logger(OutboxPruner.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly config: AppConfig,
  ) {}

  @Cron('30 3 * * *', { name: 'outbox-prune', ...WITH_WORKERS })
  async scheduled(): Promise<void> {
    try {
      const deleted = await this.prune();
      if (deleted) this.logger.log(`outbox retention: ${deleted} delivered rows deleted`);
    } catch (err) {
      this.logger.error({ err }, 'outbox pruning failed; it runs again tomorrow');
    }
  }

  /**
   * Deletes every delivered row past the retention, a chunk per transaction; answers how many.
   * Ages are measured on the database's clock, the one `processed_at` was written with.
   */
  async prune(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.pruneChunk(this.config.outboxRetentionDays);
      deleted += n;
      if (n < OUTBOX_PRUNE_CHUNK) return deleted;
    }
  }

  /** At most OUTBOX_PRUNE_CHUNK rows delivered over `days` ago, in a transaction of their own. */
  private pruneChunk(days: number): Promise<number> {
    return this.transactions.run({ organizationId: null, userId: null, system: true }, async (em) => {
      const [row]: Array<{ n: number }> = await em.query(
        `WITH gone AS (
           DELETE FROM outbox_events
            WHERE id IN (SELECT id FROM outbox_events
                          WHERE processed_at < clock_timestamp() - make_interval(days => $1)
                            AND type <> 'prompt.deleted'
                          LIMIT $2)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [days, OUTBOX_PRUNE_CHUNK],
      );
      return row.n;
    });
  }
}
