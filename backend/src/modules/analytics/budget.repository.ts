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

/** `collection_budgets` with the collection's name and this month's spend of its subtree. */
export interface CollectionBudgetRow {
  collection_id: string;
  collection_name: string;
  monthly_limit_usd: string;
  thresholds: number[];
  hard_stop: boolean;
  updated_at: Date;
  spent: number;
}

export interface CollectionBudgetWrite {
  monthlyLimitUsd: number;
  thresholds: number[];
  hardStop: boolean;
  updatedBy: string | null;
}

/** A hard-stopped budget that applies to a run: the organization's (`collection_id` null) or a collection's. */
export interface HardStopRow {
  collection_id: string | null;
  collection_name: string | null;
  monthly_limit_usd: string;
  spent: number;
}

const COLLECTION_BUDGETS = `
  SELECT b.collection_id, c.name AS collection_name, b.monthly_limit_usd, b.thresholds, b.hard_stop,
         b.updated_at, coalesce(s.spent, 0)::float8 AS spent
    FROM collection_budgets b
    JOIN collections c ON c.id = b.collection_id
    LEFT JOIN app_collection_spend($2, ARRAY(SELECT collection_id FROM collection_budgets WHERE organization_id = $1)) s
      ON s.collection_id = b.collection_id
   WHERE b.organization_id = $1`;

/**
 * The budgets that can refuse a run, in one statement: the organization's and those of the
 * prompt's collection and its ancestors, each with the month's spend, when their hard stop is on.
 * With a null prompt (unsaved content) only the organization's applies. The prompt is read under
 * the caller's row-level security: a prompt they cannot see has no collections here (and is a 404
 * on the run path right after).
 */
export const HARD_STOPS = `
  WITH RECURSIVE chain (id, parent_id) AS (
    SELECT c.id, c.parent_id FROM prompts p JOIN collections c ON c.id = p.collection_id
     WHERE p.id = $2 AND p.organization_id = $1
    UNION
    SELECT c.id, c.parent_id FROM collections c JOIN chain ch ON c.id = ch.parent_id
  ), stops AS (
    SELECT b.collection_id, b.monthly_limit_usd FROM collection_budgets b
      JOIN chain ON chain.id = b.collection_id
     WHERE b.organization_id = $1 AND b.hard_stop
  )
  SELECT NULL::uuid AS collection_id, NULL::text AS collection_name, b.monthly_limit_usd,
         (SELECT coalesce(sum(r.cost_usd), 0) FROM usage_rollups_org_daily r
           WHERE r.organization_id = $1 AND r.bucket >= $3)::float8 AS spent
    FROM budgets b WHERE b.organization_id = $1 AND b.hard_stop
  UNION ALL
  SELECT s.collection_id, c.name, s.monthly_limit_usd, coalesce(sp.spent, 0)::float8
    FROM stops s JOIN collections c ON c.id = s.collection_id
    LEFT JOIN app_collection_spend($3, ARRAY(SELECT collection_id FROM stops)) sp
      ON sp.collection_id = s.collection_id`;

/** Budgets, the thresholds already notified and the monthly spend (from the organization × day rollups). */
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

  /**
   * Cost recorded since `monthStart` (UTC, a midnight), from the organization × day rollups (at
   * most 31 rows, whatever the number of prompts, models and users).
   */
  async spentSince(organizationId: string, monthStart: Date): Promise<number> {
    const [row] = await this.transactions.prepared<{ spent: number }>(
      `SELECT coalesce(sum(cost_usd), 0)::float8 AS spent FROM usage_rollups_org_daily
        WHERE organization_id = $1 AND bucket >= $2`,
      [organizationId, monthStart],
    );
    return row.spent;
  }

  async notified(organizationId: string, month: string): Promise<number[]> {
    const rows = await this.em.query<Array<{ threshold: number }>>(
      `SELECT threshold FROM budget_notifications
        WHERE organization_id = $1 AND month = $2 AND collection_id IS NULL ORDER BY threshold`,
      [organizationId, month],
    );
    return rows.map((r) => r.threshold);
  }

  /** The thresholds notified this month per collection budget (collection id → ascending thresholds). */
  async notifiedByCollection(organizationId: string, month: string): Promise<Map<string, number[]>> {
    const rows = await this.em.query<Array<{ collection_id: string; threshold: number }>>(
      `SELECT collection_id, threshold FROM budget_notifications
        WHERE organization_id = $1 AND month = $2 AND collection_id IS NOT NULL
        ORDER BY collection_id, threshold`,
      [organizationId, month],
    );
    const byCollection = new Map<string, number[]>();
    for (const r of rows)
      byCollection.set(r.collection_id, [...(byCollection.get(r.collection_id) ?? []), r.threshold]);
    return byCollection;
  }

  /** Every collection budget of the organization with its spend since `monthStart`, by collection name. */
  collectionBudgets(organizationId: string, monthStart: Date): Promise<CollectionBudgetRow[]> {
    return this.em.query<CollectionBudgetRow[]>(
      `${COLLECTION_BUDGETS} ORDER BY lower(c.name), b.collection_id`,
      [organizationId, monthStart],
    );
  }

  async collectionBudget(
    organizationId: string,
    collectionId: string,
    monthStart: Date,
  ): Promise<CollectionBudgetRow | undefined> {
    const [row] = await this.em.query<CollectionBudgetRow[]>(
      `${COLLECTION_BUDGETS} AND b.collection_id = $3`,
      [organizationId, monthStart, collectionId],
    );
    return row;
  }

  async upsertCollection(
    organizationId: string,
    collectionId: string,
    b: CollectionBudgetWrite,
  ): Promise<void> {
    await this.em.query(
      `INSERT INTO collection_budgets (collection_id, organization_id, monthly_limit_usd, thresholds, hard_stop, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (collection_id) DO UPDATE SET monthly_limit_usd = excluded.monthly_limit_usd,
         thresholds = excluded.thresholds, hard_stop = excluded.hard_stop,
         updated_by = excluded.updated_by, updated_at = now()`,
      [collectionId, organizationId, b.monthlyLimitUsd, b.thresholds, b.hardStop, b.updatedBy],
    );
  }

  /** The name of a collection of the organization; undefined when it has none with this id. */
  async collectionName(organizationId: string, collectionId: string): Promise<string | undefined> {
    const [row] = await this.em.query<Array<{ name: string }>>(
      `SELECT name FROM collections WHERE organization_id = $1 AND id = $2`,
      [organizationId, collectionId],
    );
    return row?.name;
  }

  async deleteCollection(collectionId: string): Promise<void> {
    await this.em.query(`DELETE FROM collection_budgets WHERE collection_id = $1`, [collectionId]);
  }

  /** The hard-stopped budgets that apply to a run of `promptId` (null: unsaved content), with their spend. */
  hardStops(organizationId: string, promptId: string | null, monthStart: Date): Promise<HardStopRow[]> {
    return this.transactions.prepared<HardStopRow>(HARD_STOPS, [organizationId, promptId, monthStart]);
  }

  /** Marks thresholds as notified for the month; returns those that were not yet (each wins once). */
  async claimThresholds(
    organizationId: string,
    month: string,
    thresholds: number[],
    spentUsd: number,
    collectionId: string | null = null,
  ): Promise<number[]> {
    if (!thresholds.length) return [];
    const rows = await this.em.query<Array<{ threshold: number }>>(
      `INSERT INTO budget_notifications (organization_id, month, threshold, spent_usd, collection_id)
       SELECT $1, $2, t, $4, $5 FROM unnest($3::int[]) AS t ORDER BY t
       ON CONFLICT DO NOTHING RETURNING threshold`,
      [organizationId, month, thresholds, spentUsd, collectionId],
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
