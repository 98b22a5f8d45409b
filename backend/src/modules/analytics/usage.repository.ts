import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import {
  addMonths,
  ENSURE_PARTITIONS_SQL,
  highCostSql,
  INSERT_USAGE_SQL,
  monthOf,
  UsageKind,
} from './usage.sql';

/** One raw event as `INSERT_USAGE_SQL` takes it (snake_case, dates as ISO strings). */
export interface UsageEventInsert {
  organization_id: string;
  occurred_at: string;
  kind: UsageKind;
  quantity?: number;
  prompt_id?: string | null;
  version?: number | null;
  label?: string | null;
  model?: string | null;
  user_id?: string | null;
  api_key_id?: string | null;
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number | null;
  latency_ms?: number | null;
  status?: 'success' | 'error' | null;
  idempotency_key?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface InsertOutcome {
  inserted: number;
  cost_usd: number;
  unpriced: number;
}

/** PostgreSQL's "no partition of relation found for row". */
const NO_PARTITION = '23514';

/**
 * Raw usage events, their rollups and their monthly partitions. Every write goes through
 * `insert`, in the current tenant transaction.
 */
@Injectable()
export class UsageRepository {
  /** Months (`YYYY-MM-01`) known to have a partition in this process. */
  private readonly months = new Set<string>();

  constructor(private readonly transactions: TenantTransactions) {}

  /** Creates the partitions of [from, to) months that are missing; returns how many it created. */
  async ensurePartitions(from: Date, to: Date): Promise<number> {
    const [row] = await this.transactions.manager.query<Array<{ created: number }>>(ENSURE_PARTITIONS_SQL, [
      monthOf(from),
      monthOf(to),
    ]);
    for (let m = new Date(monthOf(from)); m < to; m = addMonths(m, 1)) this.months.add(monthOf(m));
    return row.created;
  }

  /** Inserts events and upserts their rollups (one statement), creating missing partitions first. */
  async insert(events: UsageEventInsert[]): Promise<InsertOutcome> {
    if (!events.length) return { inserted: 0, cost_usd: 0, unpriced: 0 };
    await this.ensureMonths(events.map((e) => new Date(e.occurred_at)));
    const [row] = await this.writing(() =>
      this.transactions.manager.query<InsertOutcome[]>(INSERT_USAGE_SQL, [JSON.stringify(events)]),
    );
    return row;
  }

  /** Creates the partitions of the months of `dates` this process does not know to exist. */
  async ensureMonths(dates: Date[]): Promise<void> {
    for (const month of new Set(dates.map(monthOf))) {
      if (!this.months.has(month)) {
        const start = new Date(`${month}T00:00:00Z`);
        await this.ensurePartitions(start, addMonths(start, 1));
      }
    }
  }

  /** Runs a statement that writes usage events (here or `USAGE_INSERT_CTES` elsewhere). */
  async writing<T>(statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (err) {
      // Another process dropped an emptied partition this one still remembered: forget them all.
      if ((err as { code?: string }).code === NO_PARTITION) this.months.clear();
      throw err;
    }
  }

  /** Idempotency keys of this organization not seen before (the others are replays). */
  async claimKeys(
    organizationId: string,
    keys: Array<{ key: string; occurredAt: string }>,
  ): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.transactions.manager.query<Array<{ key: string }>>(
      `INSERT INTO usage_idempotency_keys (organization_id, key, occurred_at)
       SELECT $1, k.key, k.occurred_at FROM jsonb_to_recordset($2::jsonb) AS k (key text, occurred_at timestamptz)
       ON CONFLICT DO NOTHING RETURNING key`,
      [organizationId, JSON.stringify(keys.map((k) => ({ key: k.key, occurred_at: k.occurredAt })))],
    );
    return new Set(rows.map((r) => r.key));
  }

  /** Retention: raw events and idempotency keys of one organization older than `cutoff`. */
  async deleteBefore(organizationId: string, cutoff: Date): Promise<number> {
    const em = this.transactions.manager;
    const [, deleted] = await em.query<[unknown, number]>(
      `DELETE FROM usage_events WHERE organization_id = $1 AND occurred_at < $2`,
      [organizationId, cutoff],
    );
    await em.query(`DELETE FROM usage_idempotency_keys WHERE organization_id = $1 AND occurred_at < $2`, [
      organizationId,
      cutoff,
    ]);
    return deleted;
  }

  /** Drops partitions that end before `before` and hold no rows; returns how many. */
  async dropEmptyPartitions(before: Date): Promise<number> {
    const [row] = await this.transactions.manager.query<Array<{ dropped: number }>>(
      `SELECT app_usage_drop_empty_partitions($1::date) AS dropped`,
      [monthOf(before)],
    );
    this.months.clear();
    return row.dropped;
  }

  /** Organizations that have raw events older than `before` (system scope). */
  async organizationsWithEventsBefore(before: Date): Promise<string[]> {
    const rows = await this.transactions.manager.query<Array<{ organization_id: string }>>(
      `SELECT DISTINCT organization_id FROM usage_events WHERE occurred_at < $1`,
      [before],
    );
    return rows.map((r) => r.organization_id);
  }

  /** Ids of the prompts whose 30-day cost is in the organization's top 10 % (search's highCost). */
  async highCostPromptIds(organizationId: string): Promise<string[]> {
    const rows = await this.transactions.manager.query<Array<{ id: string }>>(
      `SELECT p.id FROM prompts p WHERE p.organization_id = $1 AND ${highCostSql('$1')} LIMIT 10000`,
      [organizationId],
    );
    return rows.map((r) => r.id);
  }

  /** Prompts of this organization the caller sees, by id or slug (POST /usage validation). */
  promptsByIdOrSlug(
    organizationId: string,
    ids: string[],
    slugs: string[],
  ): Promise<Array<{ id: string; slug: string }>> {
    return this.transactions.manager.query(
      `SELECT id, slug FROM prompts WHERE organization_id = $1 AND (id = ANY($2::uuid[]) OR slug = ANY($3::text[]))`,
      [organizationId, ids, slugs],
    );
  }

  /** The versions and labels of some prompts (POST /usage validation). */
  async versionsAndLabels(promptIds: string[]): Promise<{
    versions: Array<{ prompt_id: string; version: number }>;
    labels: Array<{ prompt_id: string; label: string; version: number }>;
  }> {
    const em = this.transactions.manager;
    const versions = await em.query<Array<{ prompt_id: string; version: number }>>(
      `SELECT prompt_id, version FROM prompt_versions WHERE prompt_id = ANY($1::uuid[])`,
      [promptIds],
    );
    const labels = await em.query<Array<{ prompt_id: string; label: string; version: number }>>(
      `SELECT prompt_id, label, version FROM prompt_labels WHERE prompt_id = ANY($1::uuid[])`,
      [promptIds],
    );
    return { versions, labels };
  }
}
