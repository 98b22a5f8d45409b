import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { HAS_BUDGETS_SQL, USAGE_INSERT_CTES } from '../analytics/usage.sql';
import type { Provider } from '../provider-keys/providers';

export type RunStatus = 'success' | 'error' | 'canceled';

/** A row of `runs`, as the database returns it (`cost_usd` is numeric, hence text). */
export interface RunRow {
  id: string;
  organization_id: string;
  prompt_id: string | null;
  version: number | null;
  model: string;
  provider: Provider;
  provider_key_id: string | null;
  variables: Record<string, unknown>;
  input: string;
  output: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string;
  latency_ms: number;
  status: RunStatus;
  error: Record<string, unknown> | null;
  created_by: string | null;
  created_at: Date;
}

export interface RunInsert {
  organizationId: string;
  promptId: string | null;
  version: number | null;
  model: string;
  provider: Provider;
  providerKeyId: string | null;
  variables: Record<string, unknown>;
  input: string;
  output: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  status: RunStatus;
  error: Record<string, unknown> | null;
  createdBy: string;
}

/** What `store` adds to a run: who asked (the usage event's attribution). */
export interface RunUsage {
  apiKeyId: string | null;
}

export interface RunFilter {
  promptId?: string;
  model?: string;
  from?: Date;
  to?: Date;
}

/** The run's row alone (the benchmark's minimal run floor stores only this). */
export const RUN_INSERT_SQL = `INSERT INTO runs (organization_id, prompt_id, version, model, provider, provider_key_id, variables,
                   input, output, input_tokens, output_tokens, cost_usd, latency_ms, status, error, created_by)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`;

const COLUMNS = `id, organization_id, prompt_id, version, model, provider, provider_key_id, variables, input,
  output, input_tokens, output_tokens, cost_usd::text AS cost_usd, latency_ms, status, error, created_by, created_at`;

/**
 * A run stored in one statement (the run path's write): the run; the run's usage event, priced at
 * the run's time, with its rollups (`USAGE_INSERT_CTES`); and whether the organization has a
 * budget whose thresholds are then to be checked. The key's `last_used_at` is the provider-keys
 * module's to write (`ProviderKeysService.markUsedAfterCall`, at most once a minute). Exported for
 * the benchmark's run floor (`scripts/bench/run-floor-server.mjs`), which sends this very text.
 */
export const RUN_STORE_SQL = `
WITH run AS (
  ${RUN_INSERT_SQL}
  RETURNING ${COLUMNS}
), input AS (
  SELECT organization_id, created_at AS occurred_at, 'run'::text AS kind, NULL::integer AS quantity,
         prompt_id, version, NULL::text AS label, model, $16::uuid AS user_id, $17::uuid AS api_key_id,
         input_tokens::bigint AS input_tokens, output_tokens::bigint AS output_tokens,
         NULL::numeric AS cost_usd, latency_ms,
         CASE WHEN status = 'success' THEN 'success' ELSE 'error' END AS status,
         NULL::text AS idempotency_key, NULL::jsonb AS metadata
    FROM run
), ${USAGE_INSERT_CTES}
SELECT run.*, ${HAS_BUDGETS_SQL} AS has_budgets FROM run`;

const insertParams = (v: RunInsert) => [
  v.organizationId,
  v.promptId,
  v.version,
  v.model,
  v.provider,
  v.providerKeyId,
  JSON.stringify(v.variables),
  v.input,
  v.output,
  v.inputTokens,
  v.outputTokens,
  v.costUsd,
  v.latencyMs,
  v.status,
  v.error === null ? null : JSON.stringify(v.error),
  v.createdBy,
];

/**
 * Runs of an organization. Row-level security decides visibility (runs of prompts the caller can
 * see, and the caller's own runs without a prompt); the SQL here only filters and pages.
 */
@Injectable()
export class RunsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * Stores a finished run with everything that goes with it in one prepared statement (see
   * RUN_STORE_SQL), in the current tenant transaction; the usage event's partition must exist
   * (`UsageRecorder.inline`). Answers the row and whether the organization has a budget.
   */
  async store(v: RunInsert, usage: RunUsage): Promise<RunRow & { has_budgets: boolean }> {
    const [row] = await this.transactions.prepared<RunRow & { has_budgets: boolean }>(RUN_STORE_SQL, [
      ...insertParams(v),
      usage.apiKeyId,
    ]);
    return row;
  }

  /**
   * `store` as a transaction of its own in one round trip (BEGIN, scope, RUN_STORE_SQL and COMMIT
   * in one pipeline, `TenantTransactions.runStatement`). Fails with the check violation 23514 when the
   * usage event's month has no partition (nothing is stored then; `store` inside
   * `UsageRecorder.inline` creates it); the budget thresholds are the caller's to check when
   * `has_budgets`.
   */
  async storeAlone(
    scope: { organizationId: string; userId: string },
    v: RunInsert,
    usage: RunUsage,
  ): Promise<RunRow & { has_budgets: boolean }> {
    const [row] = await this.transactions.runStatement<RunRow & { has_budgets: boolean }>(
      scope,
      RUN_STORE_SQL,
      [...insertParams(v), usage.apiKeyId],
    );
    return row;
  }

  async find(organizationId: string, id: string): Promise<RunRow | undefined> {
    const [row] = await this.em.query<RunRow[]>(
      `SELECT ${COLUMNS} FROM runs WHERE organization_id = $1 AND id = $2`,
      [organizationId, id],
    );
    return row;
  }

  /**
   * Newest first after a (created_at text, id) cursor; one row more than `limit`. `from` is
   * inclusive, `to` exclusive. The cursor keeps the database's own text of created_at (a JS Date
   * would drop microseconds).
   */
  page(
    organizationId: string,
    filter: RunFilter,
    limit: number,
    after?: { t: string; id: string },
  ): Promise<Array<RunRow & { cursor_key: string }>> {
    const params: unknown[] = [organizationId, limit + 1];
    const where = ['organization_id = $1'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.promptId) add('prompt_id = ?', filter.promptId);
    if (filter.model) add('model = ?', filter.model);
    if (filter.from) add('created_at >= ?', filter.from);
    if (filter.to) add('created_at < ?', filter.to);
    if (after) {
      params.push(after.t, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    return this.em.query(
      `SELECT ${COLUMNS}, created_at::text AS cursor_key FROM runs
        WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
  }
}
