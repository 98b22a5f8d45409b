import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { WITH_WORKERS } from '../../queue/workers';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { UsageRepository } from './usage.repository';
import { addMonths } from './usage.sql';

const DAY_MS = 24 * 3600 * 1000;
/** How far back `POST /usage` accepts events when the plan keeps raw events without limit. */
export const MAX_BACKFILL_DAYS = 400;
/** Monthly partitions kept ready ahead of the current month. */
export const PARTITIONS_AHEAD = 3;
/** Partitions created behind the current month (for backfills within MAX_BACKFILL_DAYS). */
export const PARTITIONS_BEHIND = 14;

/**
 * Partitions and retention of usage (docs/analytics.md, "Retention").
 *
 * - At boot (every process) and daily (processes that run the workers): the monthly partitions
 *   from PARTITIONS_BEHIND months back to PARTITIONS_AHEAD months ahead exist.
 * - Daily: raw events older than the plan's retention (the plan's `auditRetentionDays`: Free 30
 *   days, Starter 90, Pro 365, Enterprise unlimited) are deleted per organization; partitions
 *   left empty before the backfill window are dropped. Rollups are kept.
 *
 * The dated prices that cost the events (`model_prices`) are the playground's: ModelPricesService
 * adds the catalogue's at boot.
 */
@Injectable()
export class UsageRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('UsageRetention');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly repo: UsageRepository,
    private readonly limits: PlanLimitsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensurePartitions();
  }

  @Cron('0 3 * * *', { name: 'usage-maintenance', ...WITH_WORKERS })
  async scheduled(): Promise<void> {
    try {
      await this.ensurePartitions();
      const deleted = await this.pruneAll();
      if (deleted) this.logger.log(`usage retention: ${deleted} raw events deleted`);
    } catch (err) {
      this.logger.error({ err }, 'usage maintenance failed; it runs again tomorrow');
    }
  }

  /** Creates the missing partitions around `now`; returns how many were created. */
  ensurePartitions(now = new Date()): Promise<number> {
    return this.transactions.run({ organizationId: null, userId: null, system: true }, () =>
      this.repo.ensurePartitions(addMonths(now, -PARTITIONS_BEHIND), addMonths(now, PARTITIONS_AHEAD + 1)),
    );
  }

  /** Raw-event retention of the organization's plan in days; null = unlimited. */
  async retentionDays(organizationId: string, now = new Date()): Promise<number | null> {
    const { limits } = await this.limits.current(organizationId, now);
    return limits.auditRetentionDays;
  }

  /** The oldest `occurredAt` POST /usage accepts for the organization (in its transaction). */
  async oldestAccepted(organizationId: string, now = new Date()): Promise<Date> {
    const days = (await this.retentionDays(organizationId, now)) ?? MAX_BACKFILL_DAYS;
    return new Date(now.getTime() - Math.min(days, MAX_BACKFILL_DAYS) * DAY_MS);
  }

  /** Deletes raw events past each organization's retention; drops emptied old partitions. */
  async pruneAll(now = new Date()): Promise<number> {
    const organizations = await this.transactions.run(
      { organizationId: null, userId: null, system: true },
      () => this.repo.organizationsWithEventsBefore(new Date(now.getTime() - 30 * DAY_MS)),
    );
    let deleted = 0;
    for (const organizationId of organizations) {
      try {
        deleted += await this.transactions.run({ organizationId, userId: null }, async () => {
          const days = await this.retentionDays(organizationId, now);
          if (days === null) return 0;
          return this.repo.deleteBefore(organizationId, new Date(now.getTime() - days * DAY_MS));
        });
      } catch (err) {
        this.logger.warn({ err, organizationId }, 'usage retention failed for an organization');
      }
    }
    await this.transactions.run({ organizationId: null, userId: null, system: true }, () =>
      this.repo.dropEmptyPartitions(addMonths(now, -PARTITIONS_BEHIND)),
    );
    return deleted;
  }
}
