import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** `budgets` as the database returns it. */
export interface BudgetRow {
  organization_id: string;
  monthly_limit_usd: string;
  thresholds: number[];
  hard_stop: boolean;
  monthly_report: boolean;
  updated_at: Date;
}

export interface BudgetWrite {
  monthlyLimitUsd: number;
  thresholds: number[];
  hardStop: boolean;
  monthlyReport: boolean;
  updatedBy: string | null;
}

/** Budgets, the thresholds already notified and the monthly spend (from the daily rollups). */
@Injectable()
export class BudgetRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em() {
    return this.transactions.manager;
  }

  async find(organizationId: string): Promise<BudgetRow | undefined> {
    const [row] = await this.transactions.prepared<BudgetRow>(
      `SELECT organization_id, monthly_limit_usd, thresholds, hard_stop, monthly_report, updated_at
         FROM budgets WHERE organization_id = $1`,
      [organizationId],
    );
    return row;
  }

  async upsert(organizationId: string, b: BudgetWrite): Promise<void> {
    await this.em.query(
      `INSERT INTO budgets (organization_id, monthly_limit_usd, thresholds, hard_stop, monthly_report, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (organization_id) DO UPDATE SET monthly_limit_usd = excluded.monthly_limit_usd,
         thresholds = excluded.thresholds, hard_stop = excluded.hard_stop,
         monthly_report = excluded.monthly_report, updated_by = excluded.updated_by, updated_at = now()`,
      [organizationId, b.monthlyLimitUsd, b.thresholds, b.hardStop, b.monthlyReport, b.updatedBy],
    );
  }

  /** Cost recorded since `monthStart` (UTC), from the daily rollups. */
  async spentSince(organizationId: string, monthStart: Date): Promise<number> {
    const [row] = await this.transactions.prepared<{ spent: number }>(
      `SELECT coalesce(sum(cost_usd), 0)::float8 AS spent FROM usage_rollups_daily
        WHERE organization_id = $1 AND bucket >= $2`,
      [organizationId, monthStart],
    );
    return row.spent;
  }

  async notified(organizationId: string, month: string): Promise<number[]> {
    const rows = await this.em.query<Array<{ threshold: number }>>(
      `SELECT threshold FROM budget_notifications WHERE organization_id = $1 AND month = $2 ORDER BY threshold`,
      [organizationId, month],
    );
    return rows.map((r) => r.threshold);
  }

  /** Marks thresholds as notified for the month; returns those that were not yet (each wins once). */
  async claimThresholds(
    organizationId: string,
    month: string,
    thresholds: number[],
    spentUsd: number,
  ): Promise<number[]> {
    if (!thresholds.length) return [];
    const rows = await this.em.query<Array<{ threshold: number }>>(
      `INSERT INTO budget_notifications (organization_id, month, threshold, spent_usd)
       SELECT $1, $2, t, $4 FROM unnest($3::int[]) AS t ORDER BY t
       ON CONFLICT DO NOTHING RETURNING threshold`,
      [organizationId, month, thresholds, spentUsd],
    );
    return rows.map((r) => r.threshold).sort((a, b) => a - b);
  }

  /** Organizations whose budget asks for the monthly report (system scope). */
  async reportSubscribers(): Promise<string[]> {
    const rows = await this.em.query<Array<{ organization_id: string }>>(
      `SELECT organization_id FROM budgets WHERE monthly_report ORDER BY organization_id`,
    );
    return rows.map((r) => r.organization_id);
  }

  /** Records the monthly report as sent; false when it already was. */
  async claimReport(organizationId: string, month: string): Promise<boolean> {
    const rows = await this.em.query<unknown[]>(
      `INSERT INTO usage_report_deliveries (organization_id, month) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING month`,
      [organizationId, month],
    );
    return rows.length > 0;
  }
}
