import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { PROMPT_STATS_FLUSH_SQL } from './prompts.sql';

/** How often buffered view/use counts are written. */
export const STATS_FLUSH_INTERVAL_MS = 1000;

interface Pending {
  views: number;
  uses: number;
}

/**
 * Views (GET /prompts/:id) and uses (render) are counted in memory and written in one statement per
 * organization every second, in a transaction of their own. Counting inside each GET would make
 * every read of a popular prompt wait on the same row lock; this way reads never write, and a
 * crash loses at most a second of counts (they are statistics, not records).
 */
@Injectable()
export class PromptStats implements OnModuleDestroy {
  private readonly logger = new Logger(PromptStats.name);
  /** organizationId → promptId → counts not yet written. */
  private pending = new Map<string, Map<string, Pending>>();
  /**
   * Counts taken out of `pending` whose UPDATE has not committed yet. A read during a flush sees the
   * row without them, so they still count as pending until the write is done (or put back if it fails).
   */
  private writing = new Map<string, Map<string, Pending>>();
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Every process that serves requests counts, so every process flushes (not only those running
   * the job processors). The schedule stops at shutdown after onModuleDestroy's last flush.
   */
  @Interval('prompt-stats-flush', STATS_FLUSH_INTERVAL_MS)
  async scheduledFlush(): Promise<void> {
    await this.flush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  countView(organizationId: string, promptId: string): void {
    this.entry(organizationId, promptId).views += 1;
  }

  countUse(organizationId: string, promptId: string): void {
    this.entry(organizationId, promptId).uses += 1;
  }

  /** Counts not yet written for one prompt (added to what the row says when answering). */
  pendingFor(organizationId: string, promptId: string): Pending {
    const waiting = this.pending.get(organizationId)?.get(promptId);
    const inFlight = this.writing.get(organizationId)?.get(promptId);
    return {
      views: (waiting?.views ?? 0) + (inFlight?.views ?? 0),
      uses: (waiting?.uses ?? 0) + (inFlight?.uses ?? 0),
    };
  }

  /** Writes every buffered count; concurrent calls run one after the other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private entry(organizationId: string, promptId: string): Pending {
    let org = this.pending.get(organizationId);
    if (!org) this.pending.set(organizationId, (org = new Map<string, Pending>()));
    let counts = org.get(promptId);
    if (!counts) org.set(promptId, (counts = { views: 0, uses: 0 }));
    return counts;
  }

  private async write(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = batch;
    for (const [organizationId, prompts] of batch) {
      const ids = [...prompts.keys()];
      const views = ids.map((id) => prompts.get(id)!.views);
      const uses = ids.map((id) => prompts.get(id)!.uses);
      try {
        // System scope: the counts include private prompts of any author in this organization.
        await this.transactions.run({ organizationId, userId: null, system: true }, (em) =>
          em.query(PROMPT_STATS_FLUSH_SQL, [organizationId, ids, views, uses]),
        );
      } catch (err) {
        // Keep the counts for the next round rather than dropping them on a transient failure.
        this.logger.warn({ err, organizationId }, 'writing prompt stats failed; retrying next round');
        for (const [id, c] of prompts) {
          const e = this.entry(organizationId, id);
          e.views += c.views;
          e.uses += c.uses;
        }
      } finally {
        // Written, or back in `pending`: no longer in flight (deleting the current entry of a Map
        // being iterated is safe).
        batch.delete(organizationId);
      }
    }
  }
}
