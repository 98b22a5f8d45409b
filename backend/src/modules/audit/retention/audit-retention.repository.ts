import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../../database/tenancy/tenant-transactions';

/** `audit_settings` as the database returns it. */
export interface AuditSettingsRow {
  organization_id: string;
  retention_days: number | null;
}

/** The oldest events of an organization, as the retention job reads them. */
export interface OldestEventRow {
  seq: string;
  hash: string;
  occurred_at: Date;
}

/**
 * The SQL of audit retention (migration 1763901100000-audit-retention): the per-organization
 * setting, the organizations with old events (system scope) and the privileged prune, which
 * deletes events only up to a checkpoint it records in the same statement.
 */
@Injectable()
export class AuditRetentionRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async settings(organizationId: string): Promise<AuditSettingsRow | null> {
    const rows: AuditSettingsRow[] = await this.em.query(
      `SELECT organization_id, retention_days FROM audit_settings WHERE organization_id = $1`,
      [organizationId],
    );
    return rows[0] ?? null;
  }

  async saveDays(organizationId: string, days: number | null): Promise<void> {
    await this.em.query(
      `INSERT INTO audit_settings (organization_id, retention_days, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (organization_id) DO UPDATE SET retention_days = EXCLUDED.retention_days, updated_at = now()`,
      [organizationId, days],
    );
  }

  /** Organizations whose oldest remaining event is older than `before` (system scope). */
  async organizationsWithEventsBefore(before: Date): Promise<string[]> {
    const rows: Array<{ organization_id: string }> = await this.em.query(
      `WITH RECURSIVE orgs AS (
         (SELECT organization_id FROM audit_events ORDER BY organization_id LIMIT 1)
         UNION ALL
         SELECT (SELECT e.organization_id FROM audit_events e
                  WHERE e.organization_id > orgs.organization_id ORDER BY e.organization_id LIMIT 1)
           FROM orgs WHERE orgs.organization_id IS NOT NULL
       )
       SELECT organization_id FROM orgs
        WHERE organization_id IS NOT NULL
          AND (SELECT e.occurred_at FROM audit_events e
                WHERE e.organization_id = orgs.organization_id ORDER BY e.seq LIMIT 1) < $1`,
      [before],
    );
    return rows.map((r) => r.organization_id);
  }

  /** The organization's `limit` oldest events, oldest first. */
  oldest(organizationId: string, limit: number): Promise<OldestEventRow[]> {
    return this.em.query(
      `SELECT seq, hash, occurred_at FROM audit_events WHERE organization_id = $1 ORDER BY seq LIMIT $2`,
      [organizationId, limit],
    );
  }

  /**
   * Deletes the current organization's events up to and including `seq` and records the signed
   * checkpoint, through the SECURITY DEFINER `app_audit_prune` (the only way events leave).
   */
  async prune(checkpoint: {
    seq: number;
    hash: string;
    createdAt: Date;
    signature: string;
  }): Promise<number> {
    const [row]: Array<{ deleted: string }> = await this.em.query(
      `SELECT app_audit_prune($1, $2, $3, $4) AS deleted`,
      [checkpoint.seq, checkpoint.hash, checkpoint.createdAt, checkpoint.signature],
    );
    return Number(row.deleted);
  }
}
