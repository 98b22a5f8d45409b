import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
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

export interface RunFilter {
  promptId?: string;
  model?: string;
  from?: Date;
  to?: Date;
}

const COLUMNS = `id, organization_id, prompt_id, version, model, provider, provider_key_id, variables, input,
  output, input_tokens, output_tokens, cost_usd::text AS cost_usd, latency_ms, status, error, created_by, created_at`;

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

  async insert(v: RunInsert): Promise<RunRow> {
    const [row] = await this.em.query<RunRow[]>(
      `INSERT INTO runs (organization_id, prompt_id, version, model, provider, provider_key_id, variables,
                         input, output, input_tokens, output_tokens, cost_usd, latency_ms, status, error, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING ${COLUMNS}`,
      [
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
      ],
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
