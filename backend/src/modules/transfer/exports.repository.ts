import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { PromptStatus, PromptVisibility } from '../prompts/prompt.model';
import { visibleToSql } from '../prompts/prompts.sql';
import type { SavedFilters } from '../search/search-filters';
import type { PromptMetadata, VariableDefinition } from '../prompts/variables';

export type ExportFormat = 'json' | 'csv' | 'markdown';
export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

/** What an export covers: listed prompts, a collection (with its sub-collections), a search, or everything visible. */
export type ExportSelection =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'collection'; collectionId: string }
  | { kind: 'query'; query: string; filters?: SavedFilters }
  | { kind: 'all' };

/** A row of `exports`. */
export interface ExportRow {
  id: string;
  organization_id: string;
  created_by: string | null;
  format: ExportFormat;
  selection: ExportSelection;
  include_versions: boolean;
  status: ExportStatus;
  error: string | null;
  count: number;
  blob_id: string | null;
  size_bytes: string | null;
  filename: string | null;
  content_type: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  expires_at: Date | null;
}

/** A prompt as exports write it (names instead of ids). */
export interface ExportPromptRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
  tags: string[];
  category: string | null;
  collection: string | null;
  status: PromptStatus;
  visibility: PromptVisibility;
  version: number;
  labels: Record<string, number>;
}

export interface ExportVersionRow {
  prompt_id: string;
  version: number;
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
  change_note: string | null;
  created_at: Date;
  author: string | null;
}

const EXPORT_COLUMNS = `id, organization_id, created_by, format, selection, include_versions, status, error, count,
  blob_id, size_bytes, filename, content_type, created_at, updated_at, completed_at, expires_at`;

const PROMPTS_CURSOR = 'export_prompts';
const VERSIONS_CURSOR = 'export_versions';
/** The collection of a `collectionId` selection ($3) and its sub-collections. */
const SELECTION_TREE = `WITH RECURSIVE tree AS (
         SELECT id FROM collections WHERE id = $3::uuid
         UNION ALL SELECT c.id FROM collections c JOIN tree t ON c.parent_id = t.id
       )`;
/** The prompts `p` of a selection: user $1 may see them, among ids $2 or in collection tree $3 when given. */
const SELECTED_PROMPTS = `${visibleToSql('$1')}
          AND ($2::uuid[] IS NULL OR p.id = ANY($2::uuid[]))
          AND ($3::uuid IS NULL OR p.collection_id IN (SELECT id FROM tree))`;

/** Exports, and the reads that feed them; every statement runs in the current tenant transaction. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async insert(values: {
    organizationId: string;
    createdBy: string;
    format: ExportFormat;
    selection: ExportSelection;
    includeVersions: boolean;
  }): Promise<ExportRow> {
    const [row]: ExportRow[] = await this.em.query(
      `INSERT INTO exports (organization_id, created_by, format, selection, include_versions)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${EXPORT_COLUMNS}`,
      [
        values.organizationId,
        values.createdBy,
        values.format,
        JSON.stringify(values.selection),
        values.includeVersions,
      ],
    );
    return row;
  }

  async find(id: string, lock = false): Promise<ExportRow | undefined> {
    const [row]: ExportRow[] = await this.em.query(
      `SELECT ${EXPORT_COLUMNS} FROM exports WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /** The user's exports, newest first (keyset on created_at, id). */
  list(userId: string, after: { t: string; id: string } | undefined, limit: number): Promise<ExportRow[]> {
    return this.em.query(
      `SELECT ${EXPORT_COLUMNS} FROM exports WHERE created_by = $1
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, after?.t ?? null, after?.id ?? null, limit + 1],
    );
  }

  async finish(
    id: string,
    values: {
      count: number;
      blobId: string;
      sizeBytes: number;
      filename: string;
      contentType: string;
      expiresAt: Date;
    },
  ): Promise<void> {
    await this.em.query(
      `UPDATE exports SET status = 'done', count = $2, blob_id = $3, size_bytes = $4, filename = $5, content_type = $6,
              expires_at = $7, completed_at = now(), updated_at = now(), error = NULL
        WHERE id = $1`,
      [
        id,
        values.count,
        values.blobId,
        values.sizeBytes,
        values.filename,
        values.contentType,
        values.expiresAt,
      ],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.em.query(
      `UPDATE exports SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`,
      [id, error],
    );
  }

  async touch(id: string): Promise<void> {
    await this.em.query(`UPDATE exports SET updated_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Opens the export's reads in the current transaction: a cursor over the prompts of the
   * selection the user can see, by id, and (`withVersions`) one over their versions, by prompt id
   * and version, in the same order; `nextPrompts` and `nextVersions` then fetch from them. Private
   * prompts of other members are excluded here and, regardless, by row-level security.
   *
   * Cursors, not a keyset read per batch: PostgreSQL plans each of them once for the whole export.
   * Per batch, the plan depended on statistics a large import leaves stale (this machine's bench
   * server runs without autovacuum): `p.id > $after ORDER BY p.id LIMIT 500` was read as every
   * prompt of the organization through its organization_id index and a top-N sort, and the
   * versions' `prompt_id = ANY(…)` built the row-level-security check (`EXISTS (SELECT 1 FROM
   * prompts …)`) as a hash of every visible prompt, plus a JIT compilation: each batch read all
   * 25,000 pages of 100,000 prompts twice (0.15–0.25 s and 0.4 s a batch, 200 batches), so the
   * export grew with the square of its size. A cursor reads each row once whatever its plan.
   */
  async openReads(
    userId: string,
    selection: { ids?: string[]; collectionId?: string },
    withVersions: boolean,
  ): Promise<void> {
    const params = [userId, selection.ids ?? null, selection.collectionId ?? null];
    await this.em.query(
      `DECLARE ${PROMPTS_CURSOR} NO SCROLL CURSOR FOR ${SELECTION_TREE}
       SELECT p.id, p.slug, p.title, p.description, p.content, p.variables, p.metadata, p.status, p.visibility,
              p.version, cat.name AS category, col.name AS collection,
              coalesce((SELECT array_agg(t.name ORDER BY lower(t.name)) FROM prompt_tags pt
                          JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = p.id), '{}') AS tags,
              coalesce((SELECT jsonb_object_agg(l.label, l.version) FROM prompt_labels l
                          WHERE l.prompt_id = p.id), '{}') AS labels
         FROM prompts p
         LEFT JOIN categories cat ON cat.id = p.category_id
         LEFT JOIN collections col ON col.id = p.collection_id
        WHERE ${SELECTED_PROMPTS}
        ORDER BY p.id`,
      params,
    );
    if (!withVersions) return;
    await this.em.query(
      `DECLARE ${VERSIONS_CURSOR} NO SCROLL CURSOR FOR ${SELECTION_TREE}
       SELECT v.prompt_id, v.version, v.title, v.description, v.content, v.variables, v.metadata, v.change_note,
              v.created_at, u.email AS author
         FROM prompt_versions v
         JOIN prompts p ON p.id = v.prompt_id
         LEFT JOIN users u ON u.id = v.changed_by
        WHERE ${SELECTED_PROMPTS}
        ORDER BY v.prompt_id, v.version`,
      params,
    );
  }

  /** The next `limit` prompts of `openReads` (none once it is exhausted). */
  nextPrompts(limit: number): Promise<ExportPromptRow[]> {
    return this.em.query(`FETCH FORWARD ${Math.trunc(limit)} FROM ${PROMPTS_CURSOR}`);
  }

  /** The next `limit` versions of `openReads` (none once they are exhausted). */
  nextVersions(limit: number): Promise<ExportVersionRow[]> {
    return this.em.query(`FETCH FORWARD ${Math.trunc(limit)} FROM ${VERSIONS_CURSOR}`);
  }

  async organization(id: string): Promise<{ name: string; slug: string }> {
    const [row]: Array<{ name: string; slug: string }> = await this.em.query(
      `SELECT name, slug FROM organizations WHERE id = $1`,
      [id],
    );
    return row;
  }

  async collectionExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.em.query(`SELECT 1 FROM collections WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** Jobs that stopped (a killed process): queued or running, untouched since `before`. */
  stalled(before: Date): Promise<Array<{ id: string; organization_id: string; created_by: string | null }>> {
    return this.em.query(
      `SELECT id, organization_id, created_by FROM exports
        WHERE status IN ('queued', 'running') AND updated_at < $1 ORDER BY updated_at LIMIT 100`,
      [before],
    );
  }

  /** Expired files: the export rows stay (their status), the bytes go. */
  async dropExpired(now: Date): Promise<number> {
    const rows: Array<{ blob_id: string }> = await this.em.query(
      `UPDATE exports e SET blob_id = NULL FROM exports old
        WHERE e.id = old.id AND e.expires_at < $1 AND e.blob_id IS NOT NULL RETURNING old.blob_id`,
      [now],
    );
    const ids = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ blob_id: string }>;
    if (ids.length)
      await this.em.query(`DELETE FROM transfer_blobs WHERE id = ANY($1::uuid[])`, [
        ids.map((r) => r.blob_id),
      ]);
    return ids.length;
  }
}
