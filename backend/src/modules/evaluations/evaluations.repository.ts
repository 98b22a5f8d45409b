import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { Provider } from '../provider-keys/providers';
import type { Scores, Suggestion } from './evaluation.rules';

/** The shown part of an evaluation (`feedback` jsonb): strengths when excellent, suggestions otherwise. */
export interface EvaluationFeedback {
  strengths?: string[];
  doesWell?: string;
  overview?: string;
  suggestions?: Suggestion[];
  ambiguities?: string[];
}

/** A row of `evaluations` as the database returns it (numerics as text). */
export interface EvaluationRow {
  id: string;
  organization_id: string;
  prompt_id: string | null;
  version: number;
  run_id: string | null;
  output: string | null;
  relevance: string;
  clarity: string;
  depth: string;
  creativity: string;
  robustness: string;
  overall: string;
  excellent: boolean;
  feedback: EvaluationFeedback;
  evaluator_model: string;
  provider: Provider;
  provider_key_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string;
  latency_ms: number;
  created_by: string | null;
  created_at: Date;
}

export interface EvaluationInsert {
  organizationId: string;
  promptId: string;
  version: number;
  runId: string | null;
  output: string | null;
  scores: Scores;
  overall: number;
  excellent: boolean;
  feedback: EvaluationFeedback;
  evaluatorModel: string;
  provider: Provider;
  providerKeyId: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  createdBy: string;
}

const COLUMNS = `id, organization_id, prompt_id, version, run_id, output, relevance::text AS relevance,
  clarity::text AS clarity, depth::text AS depth, creativity::text AS creativity,
  robustness::text AS robustness, overall::text AS overall, excellent, feedback, evaluator_model,
  provider, provider_key_id, input_tokens, output_tokens, cost_usd::text AS cost_usd, latency_ms,
  created_by, created_at`;

/** Evaluations of an organization; row-level security shows those of prompts the caller can see. */
@Injectable()
export class EvaluationsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async insert(v: EvaluationInsert): Promise<EvaluationRow> {
    const [row] = await this.em.query<EvaluationRow[]>(
      `INSERT INTO evaluations (organization_id, prompt_id, version, run_id, output, relevance, clarity,
                                depth, creativity, robustness, overall, excellent, feedback,
                                evaluator_model, provider, provider_key_id, input_tokens,
                                output_tokens, cost_usd, latency_ms, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       RETURNING ${COLUMNS}`,
      [
        v.organizationId,
        v.promptId,
        v.version,
        v.runId,
        v.output,
        v.scores.relevance,
        v.scores.clarity,
        v.scores.depth,
        v.scores.creativity,
        v.scores.robustness,
        v.overall,
        v.excellent,
        JSON.stringify(v.feedback),
        v.evaluatorModel,
        v.provider,
        v.providerKeyId,
        v.inputTokens,
        v.outputTokens,
        v.costUsd,
        v.latencyMs,
        v.createdBy,
      ],
    );
    return row;
  }

  /** A prompt's evaluations, newest first, after a (created_at text, id) cursor; `limit + 1` rows. */
  pageOfPrompt(
    organizationId: string,
    promptId: string,
    limit: number,
    after?: { t: string; id: string },
  ): Promise<Array<EvaluationRow & { cursor_key: string }>> {
    const params: unknown[] = [organizationId, promptId, limit + 1];
    let cursor = '';
    if (after) {
      params.push(after.t, after.id);
      cursor = 'AND (created_at, id) < ($4::timestamptz, $5::uuid)';
    }
    return this.em.query(
      `SELECT ${COLUMNS}, created_at::text AS cursor_key FROM evaluations
        WHERE organization_id = $1 AND prompt_id = $2 ${cursor}
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    );
  }
}
