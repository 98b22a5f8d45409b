import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { TenantTransactions } from '../../../database/tenancy/tenant-transactions';
import { Workers } from '../../../queue/workers';
import { PlanLimitsService } from '../../billing/plan-limits.service';
import type { PlanName } from '../../billing/plans';
import { AuditSigner } from '../audit-signer';
import { checkpointPayload } from '../audit-integrity';
import { AuditService } from '../audit.service';
import { AuditRetentionResponseDto } from '../dto/audit-event.response.dto';
import { AuditRetentionRepository } from './audit-retention.repository';

const DAY_MS = 24 * 3600 * 1000;
/** Events deleted per transaction by the retention job. */
export const RETENTION_BATCH = 1000;
/** How often the retention job runs in processes that run the workers. */
export const RETENTION_EVERY_MS = 3600 * 1000;

/**
 * Audit retention (docs/compliance.md#retention): the per-organization setting, bounded by the
 * plan's `auditRetentionDays`, and the job that deletes older events in batches, each batch with
 * its signed checkpoint in the same transaction, so verification continues over what remains.
 */
@Injectable()
export class AuditRetentionService implements OnModuleInit {
  private readonly logger = new Logger('AuditRetention');

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
    private readonly repository: AuditRetentionRepository,
    private readonly limits: PlanLimitsService,
    private readonly audit: AuditService,
    private readonly signer: AuditSigner,
    private readonly workers: Workers,
  ) {}

  onModuleInit(): void {
    this.workers.every('audit-retention', RETENTION_EVERY_MS, () => this.pruneAll());
  }

  /** The organization's plan and that plan's retention bound (null = unlimited), in the current transaction. */
  private async planBound(
    organizationId: string,
    now: Date,
  ): Promise<{ plan: PlanName; max: number | null }> {
    const { plan, limits } = await this.limits.current(organizationId, now);
    return { plan, max: limits.auditRetentionDays };
  }

  private static effective(days: number | null, max: number | null): number | null {
    if (days === null) return max;
    return max === null ? days : Math.min(days, max);
  }

  async get(organizationId: string, now = new Date()): Promise<AuditRetentionResponseDto> {
    const [settings, bound] = [
      await this.repository.settings(organizationId),
      await this.planBound(organizationId, now),
    ];
    const days = settings?.retention_days ?? null;
    return { days, planMaxDays: bound.max, effectiveDays: AuditRetentionService.effective(days, bound.max) };
  }

  /** Sets the retention; over the plan's bound → 403 `plan_limit_reached` (`limit: "auditRetention"`). Audited. */
  async set(organizationId: string, days: number | null): Promise<AuditRetentionResponseDto> {
    const { plan, limits } = await this.limits.assertRetention(organizationId, days);
    const bound = { plan, max: limits.auditRetentionDays };
    const before = (await this.repository.settings(organizationId))?.retention_days ?? null;
    await this.repository.saveDays(organizationId, days);
    await this.audit.record({
      action: 'audit.retention_changed',
      target: { type: 'organization', id: organizationId },
      changes: { days: { from: before, to: days }, planMaxDays: bound.max },
    });
    return { days, planMaxDays: bound.max, effectiveDays: AuditRetentionService.effective(days, bound.max) };
  }

  /**
   * One run of the job: every organization whose oldest event is older than a day, pruned to its
   * retention. Returns the number of events deleted. One organization failing does not stop the others.
   */
  async pruneAll(now = new Date(), batch = RETENTION_BATCH): Promise<number> {
    const organizations = await this.transactions.run(
      { organizationId: null, userId: null, system: true },
      () => this.repository.organizationsWithEventsBefore(new Date(now.getTime() - DAY_MS)),
    );
    let deleted = 0;
    for (const organizationId of organizations) {
      try {
        deleted += await this.pruneOrganization(organizationId, now, batch);
      } catch (err) {
        this.logger.warn({ err, organizationId }, 'audit retention failed; runs again next period');
      }
    }
    if (deleted) this.logger.log(`audit retention: ${deleted} events deleted`);
    return deleted;
  }

  /** Deletes the organization's events older than its retention, `batch` per transaction. */
  async pruneOrganization(
    organizationId: string,
    now = new Date(),
    batch = RETENTION_BATCH,
  ): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.transactions.run({ organizationId, userId: null }, () =>
        this.pruneBatch(organizationId, now, batch),
      );
      deleted += n;
      if (n < batch) return deleted;
    }
  }

  private async pruneBatch(organizationId: string, now: Date, batch: number): Promise<number> {
    const { effectiveDays } = await this.get(organizationId, now);
    if (effectiveDays === null) return 0;
    // Never younger than a day, whatever the setting (app_audit_prune refuses it too).
    const cutoff = new Date(now.getTime() - Math.max(effectiveDays * DAY_MS, DAY_MS));
    const oldest = await this.repository.oldest(organizationId, batch);
    // The contiguous run of old events from the start of the chain: retention never punches holes.
    let last: (typeof oldest)[number] | undefined;
    for (const row of oldest) {
      if (row.occurred_at >= cutoff) break;
      last = row;
    }
    if (!last) return 0;
    const createdAt = new Date(now.getTime());
    const payload = checkpointPayload(organizationId, Number(last.seq), last.hash, createdAt);
    const signature = this.signer.sign(payload).signature;
    return this.repository.prune({ seq: payload.seq, hash: payload.hash, createdAt, signature });
  }
}
