import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { PromptSnapshot, TenantUser } from '../prompts/prompt.model';
import type { PromptMetadata, VariableDefinition } from '../prompts/variables';
import {
  RUNTIME_FETCH_BY_LABEL_SQL,
  RUNTIME_FETCH_BY_VERSION_SQL,
  RUNTIME_FETCH_CURRENT_SQL,
} from './versions.sql';

/** A row of `prompt_versions`. */
export interface VersionRow extends PromptSnapshot {
  version: number;
  change_note: string | null;
  changed_by: string | null;
  created_at: Date;
}

export type VersionSummaryRow = Pick<
  VersionRow,
  'version' | 'title' | 'changed_by' | 'change_note' | 'created_at'
>;

/** A row of `prompt_labels`. */
export interface LabelRow {
  label: string;
  version: number;
  updated_by: string | null;
  updated_at: Date;
}

/** A row of `prompt_label_moves`; `seq` (bigint, as text) is the order of the moves. */
export interface LabelMoveRow {
  id: string;
  seq: string;
  label: string;
  from_version: number | null;
  to_version: number;
  moved_by: string | null;
  moved_at: Date;
}

/**
 * Where a history page starts: before a move's `seq`, or (a cursor handed out before `seq`
 * existed) before the move with that id.
 */
export type LabelMoveCursor = { seq: string } | { id: string };

/** What the runtime fetch reads: the prompt's identity and one version's snapshot. */
export interface RuntimeRow {
  id: string;
  slug: string;
  version: number;
  title: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
  created_at: Date;
}

/** A visible prompt whose label or version does not exist: its identity, the snapshot's columns NULL. */
export type RuntimeMiss = { [K in keyof RuntimeRow]: K extends 'id' | 'slug' ? string : null };

/**
 * Versions, release labels and label moves. Versions are written by the prompt's save (they copy
 * the prompt's current row), read here for history, diffs, reverts, rendering and test runs.
 */
@Injectable()
export class VersionsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** Records the prompt's current content fields as version `version`. */
  async insertFromPrompt(
    promptId: string,
    version: number,
    changeNote: string | null,
    userId: string,
  ): Promise<void> {
    await this.em.query(
      `INSERT INTO prompt_versions (organization_id, prompt_id, version, title, description, content,
                                    variables, metadata, change_note, changed_by)
       SELECT organization_id, id, $2, title, description, content, variables, metadata, $3, $4
         FROM prompts WHERE id = $1`,
      [promptId, version, changeNote, userId],
    );
  }

  /**
   * Version 1 of many new prompts, each from its prompt's row, with its own change note.
   * `p.id = ANY` reads the prompts by key whatever the statistics say: joined on the id alone, the
   * planner (statistics from before an import's batches) read every prompt of the organization
   * for each batch (0.67 s a batch at 38,500 prompts; 37 ms with the key).
   */
  async insertFirstVersions(
    prompts: Array<{ promptId: string; changeNote: string | null }>,
    userId: string,
  ): Promise<void> {
    if (!prompts.length) return;
    await this.em.query(
      `INSERT INTO prompt_versions (organization_id, prompt_id, version, title, description, content,
                                    variables, metadata, change_note, changed_by)
       SELECT p.organization_id, p.id, 1, p.title, p.description, p.content, p.variables, p.metadata, x.note, $3
         FROM unnest($1::uuid[], $2::text[]) AS x(id, note) JOIN prompts p ON p.id = x.id
        WHERE p.id = ANY ($1::uuid[])`,
      [prompts.map((p) => p.promptId), prompts.map((p) => p.changeNote), userId],
    );
  }

  async find(promptId: string, version: number): Promise<VersionRow | undefined> {
    const [row] = await this.em.query<VersionRow[]>(
      `SELECT version, title, description, content, variables, metadata, change_note, changed_by, created_at
         FROM prompt_versions WHERE prompt_id = $1 AND version = $2`,
      [promptId, version],
    );
    return row;
  }

  async exists(promptId: string, version: number): Promise<boolean> {
    const [found] = await this.em.query<unknown[]>(
      `SELECT 1 FROM prompt_versions WHERE prompt_id = $1 AND version = $2`,
      [promptId, version],
    );
    return !!found;
  }

  /**
   * Newest first, `before` a version number (the cursor); one row more than `limit`. `visible`
   * narrows it to a plan's history window: versions after `afterVersion` and created `since`,
   * and the prompt's `current` version always.
   */
  page(
    promptId: string,
    limit: number,
    before?: number,
    visible?: { current: number; afterVersion: number | null; since: Date | null },
  ): Promise<VersionSummaryRow[]> {
    const params: unknown[] = [promptId, limit + 1];
    const where = ['prompt_id = $1'];
    if (before !== undefined) {
      params.push(before);
      where.push(`version < $${params.length}`);
    }
    if (visible && (visible.afterVersion !== null || visible.since !== null)) {
      const window: string[] = [];
      if (visible.afterVersion !== null) {
        params.push(visible.afterVersion);
        window.push(`version > $${params.length}`);
      }
      if (visible.since !== null) {
        params.push(visible.since);
        window.push(`created_at >= $${params.length}`);
      }
      params.push(visible.current);
      where.push(`(version = $${params.length} OR (${window.join(' AND ')}))`);
    }
    return this.em.query<VersionSummaryRow[]>(
      `SELECT version, title, changed_by, change_note, created_at FROM prompt_versions
        WHERE ${where.join(' AND ')}
        ORDER BY version DESC LIMIT $2`,
      params,
    );
  }

  // ---------------------------------------------------------------- labels

  async labelVersion(promptId: string, label: string): Promise<number | undefined> {
    const [row] = await this.em.query<Array<{ version: number }>>(
      `SELECT version FROM prompt_labels WHERE prompt_id = $1 AND label = $2`,
      [promptId, label],
    );
    return row?.version;
  }

  labels(promptId: string): Promise<LabelRow[]> {
    return this.em.query<LabelRow[]>(
      `SELECT label, version, updated_by, updated_at FROM prompt_labels WHERE prompt_id = $1 ORDER BY label`,
      [promptId],
    );
  }

  /** The label's row, locked until the transaction ends (moves of one label run one at a time). */
  async lockLabel(promptId: string, label: string): Promise<LabelRow | undefined> {
    const [row] = await this.em.query<LabelRow[]>(
      `SELECT label, version, updated_by, updated_at FROM prompt_labels WHERE prompt_id = $1 AND label = $2 FOR UPDATE`,
      [promptId, label],
    );
    return row;
  }

  /** Points the label at `version`; answers when (the move's time). */
  async pointLabel(
    organizationId: string,
    promptId: string,
    label: string,
    version: number,
    userId: string,
  ): Promise<Date> {
    const [row] = await this.em.query<Array<{ updated_at: Date }>>(
      `INSERT INTO prompt_labels (organization_id, prompt_id, label, version, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (prompt_id, label) DO UPDATE
         SET version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING updated_at`,
      [organizationId, promptId, label, version, userId],
    );
    return row.updated_at;
  }

  async recordMove(move: {
    organizationId: string;
    promptId: string;
    label: string;
    from: number | null;
    to: number;
    userId: string;
    at: Date;
  }): Promise<void> {
    await this.em.query(
      `INSERT INTO prompt_label_moves (organization_id, prompt_id, label, from_version, to_version, moved_by, moved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [move.organizationId, move.promptId, move.label, move.from, move.to, move.userId, move.at],
    );
  }

  /**
   * Label moves newest first (by `seq`: moves made in one transaction share `moved_at`),
   * optionally of one label, before a cursor.
   */
  moves(promptId: string, limit: number, label?: string, cursor?: LabelMoveCursor): Promise<LabelMoveRow[]> {
    const params: unknown[] = [promptId, limit + 1];
    const where = ['prompt_id = $1'];
    if (label) where.push(`label = $${params.push(label)}`);
    if (cursor && 'seq' in cursor) where.push(`seq < $${params.push(cursor.seq)}::bigint`);
    else if (cursor)
      where.push(
        `seq < (SELECT c.seq FROM prompt_label_moves c WHERE c.prompt_id = $1 AND c.id = $${params.push(cursor.id)}::uuid)`,
      );
    return this.em.query<LabelMoveRow[]>(
      `SELECT id, seq, label, from_version, to_version, moved_by, moved_at
         FROM prompt_label_moves WHERE ${where.join(' AND ')}
        ORDER BY seq DESC LIMIT $2`,
      params,
    );
  }

  // ---------------------------------------------------------------- runtime fetch

  /**
   * One statement resolves slug and label or version and reads the snapshot: no row when the user
   * cannot see a prompt with this slug, a `RuntimeMiss` when its label or version does not exist.
   * Prepared, and the request's last statement, sent with its COMMIT (`finalRead`): the runtime
   * fetch is the hottest read, and planning under RLS costs more than running it.
   */
  async runtime(
    who: TenantUser,
    slug: string,
    at: { label?: string; version?: number },
  ): Promise<RuntimeRow | RuntimeMiss | undefined> {
    const [sql, target] =
      at.label !== undefined
        ? [RUNTIME_FETCH_BY_LABEL_SQL, [at.label]]
        : at.version !== undefined
          ? [RUNTIME_FETCH_BY_VERSION_SQL, [at.version]]
          : [RUNTIME_FETCH_CURRENT_SQL, []];
    const [row] = await this.transactions.finalRead<RuntimeRow | RuntimeMiss>(sql, [
      who.organizationId,
      slug,
      who.userId,
      ...target,
    ]);
    return row;
  }
}
