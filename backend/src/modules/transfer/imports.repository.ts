import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { ImportFormat } from './formats/import-readers';

export type ImportStatus = 'validating' | 'ready' | 'importing' | 'done' | 'failed';
export type DuplicateStrategy = 'skip' | 'new_version' | 'rename';

/** A row of `imports`. */
export interface ImportRow {
  id: string;
  organization_id: string;
  created_by: string | null;
  filename: string;
  format: ImportFormat;
  size_bytes: string;
  /** The uploaded file (`transfer_blobs`) while validating; null once validation ended (`dropFile`). */
  blob_id: string | null;
  status: ImportStatus;
  error: string | null;
  variables: string[];
  on_duplicate: DuplicateStrategy | null;
  collection_id: string | null;
  tags: string[] | null;
  created_at: Date;
  updated_at: Date;
  committed_at: Date | null;
  completed_at: Date | null;
  /** Kept up to date once validation ended (see `counts`); null while validating. */
  counts: ImportCounts | null;
}

export interface ImportCounts {
  total: number;
  valid: number;
  invalid: number;
  duplicates: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

const IMPORT_COLUMNS = `id, organization_id, created_by, filename, format, size_bytes, blob_id, status, error, variables,
  on_duplicate, collection_id, tags, created_at, updated_at, committed_at, completed_at, counts`;
/** The counts of an import's rows, computed from the rows (`imports.counts` keeps them afterwards). */
const COUNT_ROWS = `jsonb_build_object(
    'total', count(*),
    'valid', count(*) FILTER (WHERE data IS NOT NULL),
    'invalid', count(*) FILTER (WHERE data IS NULL),
    'duplicates', count(*) FILTER (WHERE duplicate IS NOT NULL),
    'created', count(*) FILTER (WHERE outcome = 'created'),
    'updated', count(*) FILTER (WHERE outcome = 'updated'),
    'skipped', count(*) FILTER (WHERE outcome = 'skipped'),
    'failed', count(*) FILTER (WHERE outcome = 'failed'))`;

/**
 * Imports (`imports`): the uploaded file, its status, options and counts. Their rows
 * (`import_rows`) are ImportRowsRepository's. Every statement runs in the current tenant transaction.
 */
@Injectable()
export class ImportsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async insert(values: {
    organizationId: string;
    createdBy: string;
    filename: string;
    format: ImportFormat;
    sizeBytes: number;
    blobId: string;
  }): Promise<ImportRow> {
    const [row]: ImportRow[] = await this.em.query(
      `INSERT INTO imports (organization_id, created_by, filename, format, size_bytes, blob_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${IMPORT_COLUMNS}`,
      [
        values.organizationId,
        values.createdBy,
        values.filename,
        values.format,
        values.sizeBytes,
        values.blobId,
      ],
    );
    return row;
  }

  /**
   * The import, optionally locked until the transaction ends: `true` (FOR UPDATE) excludes every
   * other lock of the row; `'lane'` (FOR KEY SHARE) is what the commit's parallel batches take
   * (ImportRunner): they exclude the FOR UPDATE holders (a serial batch, the completion, a failure)
   * but not each other, nor their own updates of the import's counts.
   */
  async find(id: string, lock: boolean | 'lane' = false): Promise<ImportRow | undefined> {
    const clause = lock === 'lane' ? ' FOR KEY SHARE' : lock ? ' FOR UPDATE' : '';
    const [row]: ImportRow[] = await this.em.query(
      `SELECT ${IMPORT_COLUMNS} FROM imports WHERE id = $1${clause}`,
      [id],
    );
    return row;
  }

  async update(
    id: string,
    set: Partial<
      Pick<
        ImportRow,
        | 'status'
        | 'error'
        | 'variables'
        | 'on_duplicate'
        | 'collection_id'
        | 'tags'
        | 'committed_at'
        | 'completed_at'
      >
    >,
  ): Promise<void> {
    const keys = Object.keys(set) as Array<keyof typeof set>;
    const assignments = keys.map((k, i) => `${k} = $${i + 2}`);
    await this.em.query(
      `UPDATE imports SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...keys.map((k) => set[k])],
    );
  }

  /**
   * Deletes the uploaded file once validation ended (ready or failed): everything after reads the
   * rows validation wrote. In the caller's transaction, so the file goes with the status change.
   */
  async dropFile(id: string): Promise<void> {
    await this.em.query(
      `WITH dropped AS (
         UPDATE imports i SET blob_id = NULL FROM imports old
          WHERE i.id = old.id AND i.id = $1 AND old.blob_id IS NOT NULL RETURNING old.blob_id)
       DELETE FROM transfer_blobs WHERE id IN (SELECT blob_id FROM dropped)`,
      [id],
    );
  }

  /** Keeps a running job's lease: the sweeper resumes imports whose `updated_at` went stale. */
  async touch(id: string): Promise<void> {
    await this.em.query(`UPDATE imports SET updated_at = now() WHERE id = $1`, [id]);
  }

  /**
   * The import's counts: those kept in `imports.counts` once validation ended (a poll reads no
   * row), else counted from the rows (while validating: none visible yet outside its transaction).
   */
  async counts(imp: ImportRow): Promise<ImportCounts> {
    if (imp.counts) return imp.counts;
    const [{ counts }]: Array<{ counts: ImportCounts }> = await this.em.query(
      `SELECT ${COUNT_ROWS} AS counts FROM import_rows WHERE import_id = $1`,
      [imp.id],
    );
    return counts;
  }

  /**
   * Counts the rows once, when validation ends; outcomes then move the counts
   * (ImportRowsRepository.setOutcome/s).
   * Answers the counts stored.
   */
  async storeCounts(importId: string): Promise<ImportCounts> {
    const [{ counts }]: Array<{ counts: ImportCounts }> = await this.em.query(
      `WITH stored AS (
         UPDATE imports SET counts = (SELECT ${COUNT_ROWS} FROM import_rows WHERE import_id = $1) WHERE id = $1
         RETURNING counts)
       SELECT counts FROM stored`,
      [importId],
    );
    return counts;
  }

  /** Slugs among `candidates` the importer can see in the organization. */
  async takenSlugs(organizationId: string, candidates: string[]): Promise<Set<string>> {
    const rows: Array<{ slug: string }> = await this.em.query(
      `SELECT slug FROM prompts WHERE organization_id = $1 AND slug = ANY($2)`,
      [organizationId, candidates],
    );
    return new Set(rows.map((r) => r.slug));
  }

  /** Imports whose job stopped (a killed process): validating or importing, untouched since `before`. */
  /** Done imports whose rows still hold their records (ImportRowsRepository.compact), oldest first (system). */
  uncompacted(limit: number): Promise<Array<{ id: string; organization_id: string }>> {
    return this.em.query(
      `SELECT id, organization_id FROM imports
        WHERE status = 'done' AND rows_compacted_at IS NULL ORDER BY completed_at LIMIT $1`,
      [limit],
    );
  }

  /** Marks a done import's rows compacted (ImportRowsRepository.compact), so sweeps pass it over. */
  async markCompacted(id: string): Promise<void> {
    await this.em.query(`UPDATE imports SET rows_compacted_at = now() WHERE id = $1 AND status = 'done'`, [
      id,
    ]);
  }

  stalled(
    before: Date,
  ): Promise<
    Array<{ id: string; organization_id: string; created_by: string | null; status: ImportStatus }>
  > {
    return this.em.query(
      `SELECT id, organization_id, created_by, status FROM imports
        WHERE status IN ('validating', 'importing') AND updated_at < $1 ORDER BY updated_at LIMIT 100`,
      [before],
    );
  }
}
