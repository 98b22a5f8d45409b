import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { WITH_WORKERS } from '../../queue/workers';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { MODEL_CATALOGUE, PRICES_AS_OF } from '../playground/models.catalogue';
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
 * Partitions, retention and dated prices of usage (docs/analytics.md, "Retention").
 *
 * - At boot (every process) and daily (processes that run the workers): the monthly partitions
 *   from PARTITIONS_BEHIND months back to PARTITIONS_AHEAD months ahead exist.
 * - Daily: raw events older than the plan's retention (the plan's `auditRetentionDays`: Free 30
 *   days, Starter 90, Pro 365, Enterprise unlimited) are deleted per organization; partitions
 *   left empty before the backfill window are dropped. Rollups are kept.
 * - At boot: the catalogue's current prices are added to `model_prices` as of `PRICES_AS_OF`
 *   (a price change in the catalogue becomes a new dated row; older events keep their cost).
 */
@Injectable()
export class UsageRetention implements OnApplicationBootstrap {
  private readonly logger = new Logger('UsageRetention');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly repo: UsageRepository,
    private readonly limits: PlanLimitsService,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.syncCataloguePrices();
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

  /**
   * Reference data, not tenant data: written on the owner's connection (the runtime role may only
   * read `model_prices`). Existing rows are never changed.
   */
  private async syncCataloguePrices(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO model_prices (model, effective_from, input_per_mtok_usd, output_per_mtok_usd)
       SELECT m.model, $1::timestamptz, m.input, m.output
         FROM jsonb_to_recordset($2::jsonb) AS m (model text, input numeric, output numeric)
       ON CONFLICT DO NOTHING`,
      [
        PRICES_AS_OF,
        JSON.stringify(
          MODEL_CATALOGUE.map((m) => ({ model: m.id, input: m.inputPerMTokUsd, output: m.outputPerMTokUsd })),
        ),
      ],
    );
  }
}
