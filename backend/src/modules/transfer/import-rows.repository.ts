import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { FieldError } from '../../common/errors/domain.exception';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { ImportRecord } from './formats/import-record';
import type { DuplicateStrategy } from './imports.repository';

export type ImportAction = 'create' | 'new_version' | 'rename' | 'skip';
export type RowOutcome = 'created' | 'updated' | 'skipped' | 'failed';

/** A row of `import_rows`. */
export interface ImportRecordRow {
  row: number;
  source: string | null;
  slug: string | null;
  title: string | null;
  action: ImportAction;
  duplicate: 'file' | 'organization' | null;
  existing_prompt_id: string | null;
  errors: FieldError[];
  data: ImportRecord | null;
  outcome: RowOutcome | null;
  outcome_detail: string | null;
  prompt_id: string | null;
}

export type NewImportRecordRow = Pick<
  ImportRecordRow,
  'row' | 'source' | 'slug' | 'title' | 'action' | 'errors' | 'data'
>;

const ROW_COLUMNS = `row, source, slug, title, action, duplicate, existing_prompt_id, errors, data, outcome,
  outcome_detail, prompt_id`;
/** What the preview shows of a row (not its record). */
const PREVIEW_COLUMNS = `row, source, slug, title, action, duplicate, existing_prompt_id, errors, outcome,
  outcome_detail, prompt_id`;
/** A row the preview lists first: it has errors, is a duplicate or failed (import_rows_problem_idx). */
const PROBLEM = `(data IS NULL OR duplicate IS NOT NULL OR outcome = 'failed')`;
/**
 * Adds the outcomes a data-modifying CTE named `done` (RETURNING `outcome`) recorded to
 * `imports.counts`, in the same statement (and so the same transaction) as the rows.
 */
const ADD_OUTCOMES = `UPDATE imports i
     SET counts = i.counts || coalesce(
           (SELECT jsonb_object_agg(d.outcome, coalesce((i.counts ->> d.outcome)::int, 0) + d.n)
              FROM (SELECT outcome, count(*) AS n FROM done GROUP BY outcome) d), '{}'::jsonb)
   WHERE i.id = $1 AND i.counts IS NOT NULL`;

/** Rows per INSERT statement (9 parameters each, well under PostgreSQL's 65535). */
const INSERT_CHUNK = 500;

/**
 * The rows of an import (`import_rows`): one per record of the file, written while validating,
 * read by the preview, the commit and the error file. The import itself (`imports`, its status and
 * counts) is ImportsRepository's; the outcome statements also move `imports.counts`, in the same
 * statement as the rows. Every statement runs in the current tenant transaction.
 */
@Injectable()
export class ImportRowsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * Empties the records (`data`) of a done import's rows: nothing reads them any more (the
   * preview, the counts and the error file read the other columns), and they take about the
   * file's size again. A valid row's record becomes `{}`, so `data IS NULL` still marks the rows
   * that had errors.
   */
  async compact(importId: string): Promise<void> {
    await this.em.query(
      `UPDATE import_rows SET data = '{}'::jsonb
        WHERE import_id = $1 AND data IS NOT NULL AND data <> '{}'::jsonb`,
      [importId],
    );
  }

  async clear(importId: string): Promise<void> {
    await this.em.query(`DELETE FROM import_rows WHERE import_id = $1`, [importId]);
  }

  async insert(organizationId: string, importId: string, rows: NewImportRecordRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        const base = params.length;
        params.push(
          importId,
          r.row,
          organizationId,
          r.source,
          r.slug,
          r.title,
          r.action,
          JSON.stringify(r.errors),
          r.data ? JSON.stringify(r.data) : null,
        );
        return `(${Array.from({ length: 9 }, (_, j) => `$${base + j + 1}`).join(', ')})`;
      });
      await this.em.query(
        `INSERT INTO import_rows (import_id, row, organization_id, source, slug, title, action, errors, data)
         VALUES ${tuples.join(', ')}`,
        params,
      );
    }
  }

  /**
   * Marks duplicates once every row is in: a valid row whose slug an earlier valid row of the file
   * has (`file`), or which a prompt of the organization the importer can see already has
   * (`organization`, with its id). Row-level security hides other members' private prompts, so
   * those never count (the prompt service gives the import another slug if one collides).
   */
  async markDuplicates(importId: string, organizationId: string): Promise<void> {
    await this.em.query(
      `UPDATE import_rows r SET duplicate = 'organization', existing_prompt_id = p.id, action = 'skip'
         FROM prompts p
        WHERE r.import_id = $1 AND r.data IS NOT NULL AND p.organization_id = $2 AND p.slug = r.slug`,
      [importId, organizationId],
    );
    // One pass numbering each slug's valid rows in file order (a correlated EXISTS here was
    // quadratic without an index on slug: minutes for 20,000 rows).
    await this.em.query(
      `UPDATE import_rows r SET duplicate = 'file', action = 'skip'
         FROM (SELECT row, row_number() OVER (PARTITION BY slug ORDER BY row) AS n
                 FROM import_rows WHERE import_id = $1 AND data IS NOT NULL) d
        WHERE r.import_id = $1 AND r.row = d.row AND d.n > 1 AND r.duplicate IS NULL`,
      [importId],
    );
  }

  /** Rows a commit creates prompts for under `strategy` (valid, and new or renamed). */
  async creations(importId: string, strategy: DuplicateStrategy): Promise<number> {
    const [{ n }]: Array<{ n: string }> = await this.em.query(
      `SELECT count(*) AS n FROM import_rows
        WHERE import_id = $1 AND data IS NOT NULL AND outcome IS NULL
          AND (duplicate IS NULL OR ($2 = 'rename'))`,
      [importId, strategy],
    );
    return Number(n);
  }

  /**
   * The preview (without the records): rows with errors, duplicates or failed first, then the
   * others, each by row number. Two reads of at most `limit` rows each, from the start of an index,
   * rather than one sort of every row of the import.
   *
   * When there are fewer than `limit` problem rows, the first read found all `p` of them, so the
   * first `limit - p` other rows are among the import's first `limit` rows, which are rows 1 to
   * `limit` (validation numbers the records from 1 without gaps): the second read takes those by
   * their key and drops the problem rows. Asked for the first other rows in order
   * (`NOT problem … ORDER BY row LIMIT`), the planner, with statistics taken while the rows were
   * being written, read and sorted every row of the import instead (0.35 s at 20,000 rows, on every
   * poll).
   */
  async preview(importId: string, limit: number): Promise<Array<Omit<ImportRecordRow, 'data'>>> {
    const problems: Array<Omit<ImportRecordRow, 'data'>> = await this.em.query(
      `SELECT ${PREVIEW_COLUMNS} FROM import_rows WHERE import_id = $1 AND ${PROBLEM} ORDER BY row LIMIT $2`,
      [importId, limit],
    );
    if (problems.length >= limit) return problems;
    const others: Array<Omit<ImportRecordRow, 'data'>> = await this.em.query(
      `SELECT ${PREVIEW_COLUMNS} FROM import_rows
        WHERE import_id = $1 AND row BETWEEN 1 AND $2 AND NOT coalesce(${PROBLEM}, false)
        ORDER BY row LIMIT $3`,
      [importId, limit, limit - problems.length],
    );
    return [...problems, ...others];
  }

  /**
   * The next rows a commit has not handled yet, in file order, after row `after` (every row up to
   * it has its outcome: the previous batch of the same job): at most `limit` rows, and no more
   * than `limit` writes before the last one (a record with a history counts its versions and
   * labels, any other one; always at least one row), so that a batch of long histories stays one
   * short transaction, as a batch of plain rows is. Starting at `after`, the scan skips the entries that
   * the rows already handled left in import_rows_pending_idx, which it would otherwise walk again
   * at every batch (quadratic in the import's size until a vacuum).
   */
  pending(importId: string, after: number, limit: number): Promise<ImportRecordRow[]> {
    return this.em.query(
      `SELECT ${ROW_COLUMNS} FROM (
         SELECT *, sum(weight) OVER (ORDER BY row) - weight AS before
           FROM (SELECT ${ROW_COLUMNS}, greatest(1, coalesce(jsonb_array_length(data -> 'versions'), 0)
                          + (SELECT count(*)::int FROM jsonb_object_keys(data -> 'labels'))) AS weight
                   FROM import_rows WHERE import_id = $1 AND outcome IS NULL AND row > $2
                  ORDER BY row LIMIT $3) next
       ) weighed
        WHERE before < $3 ORDER BY row`,
      [importId, after, limit],
    );
  }

  /**
   * Like `pending`, for one of a commit's parallel batches (ImportRunner's lanes): the rows are
   * locked until the transaction ends and rows another batch holds are passed over, so two
   * batches never take the same row. A row another batch recorded an outcome for meanwhile is not
   * pending any more when the lock is granted (PostgreSQL checks the condition again) and is
   * passed over too.
   */
  claim(importId: string, after: number, limit: number): Promise<ImportRecordRow[]> {
    return this.em.query(
      `SELECT ${ROW_COLUMNS} FROM import_rows WHERE import_id = $1 AND outcome IS NULL AND row > $2
        ORDER BY row LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [importId, after, limit],
    );
  }

  /**
   * Whether every row still pending is a plain creation or needs no write: no duplicate (of the
   * file or of the organization) and no record with a version history or labels. Only then may
   * batches be committed in parallel: a duplicate's outcome depends on rows before it (the prompt
   * an earlier row created, the slugs renamed rows took), which another batch may hold.
   */
  async onlyPlainCreations(importId: string): Promise<boolean> {
    const [{ plain }]: Array<{ plain: boolean }> = await this.em.query(
      `SELECT NOT EXISTS (
         SELECT 1 FROM import_rows
          WHERE import_id = $1 AND outcome IS NULL AND data IS NOT NULL
            AND (duplicate IS NOT NULL OR jsonb_array_length(data -> 'versions') > 0 OR data -> 'labels' <> '{}'::jsonb)
       ) AS plain`,
      [importId],
    );
    return plain;
  }

  /** The prompt an earlier row of the same import made for `slug` (a duplicate within the file). */
  async promptOfEarlierRow(importId: string, slug: string, row: number): Promise<string | null> {
    const [r]: Array<{ prompt_id: string }> = await this.em.query(
      `SELECT prompt_id FROM import_rows WHERE import_id = $1 AND slug = $2 AND row < $3 AND prompt_id IS NOT NULL
        ORDER BY row LIMIT 1`,
      [importId, slug, row],
    );
    return r?.prompt_id ?? null;
  }

  async setOutcome(
    importId: string,
    row: number,
    outcome: RowOutcome,
    action: ImportAction,
    promptId: string | null,
    detail: string | null,
  ): Promise<void> {
    await this.em.query(
      `WITH done AS (
         UPDATE import_rows SET outcome = $3, action = $4, prompt_id = $5, outcome_detail = $6
          WHERE import_id = $1 AND row = $2 AND outcome IS NULL RETURNING outcome)
       ${ADD_OUTCOMES}`,
      [importId, row, outcome, action, promptId, detail],
    );
  }

  /**
   * Records many rows' outcomes in one statement (a committed batch). The rows' range
   * (`row BETWEEN` the first and the last) bounds the index scan whatever the statistics say:
   * joined on `row` alone (or `row = ANY`), the planner, with statistics taken while the import's
   * rows were being written, read every row of the import still pending for each batch (0.58 s a
   * batch 30,000 rows into a 100,000-row import).
   */
  async setOutcomes(
    importId: string,
    outcomes: Array<{
      row: number;
      outcome: RowOutcome;
      action: ImportAction;
      promptId: string | null;
      detail: string | null;
    }>,
  ): Promise<void> {
    if (!outcomes.length) return;
    await this.em.query(
      `WITH done AS (
         UPDATE import_rows r SET outcome = x.outcome, action = x.action, prompt_id = x.prompt_id,
                outcome_detail = x.detail
           FROM unnest($2::int[], $3::text[], $4::text[], $5::uuid[], $6::text[])
                AS x(row, outcome, action, prompt_id, detail)
          WHERE r.import_id = $1 AND r.row BETWEEN $7 AND $8 AND r.row = x.row AND r.outcome IS NULL
      RETURNING r.outcome)
       ${ADD_OUTCOMES}`,
      [
        importId,
        outcomes.map((o) => o.row),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => o.action),
        outcomes.map((o) => o.promptId),
        outcomes.map((o) => o.detail),
        Math.min(...outcomes.map((o) => o.row)),
        Math.max(...outcomes.map((o) => o.row)),
      ],
    );
  }

  /** Rows with a problem, for the error file, in pages of `limit` after `afterRow`. */
  problems(importId: string, afterRow: number, limit: number): Promise<ImportRecordRow[]> {
    return this.em.query(
      `SELECT ${ROW_COLUMNS} FROM import_rows
        WHERE import_id = $1 AND row > $2 AND (data IS NULL OR outcome = 'failed' OR duplicate IS NOT NULL)
        ORDER BY row LIMIT $3`,
      [importId, afterRow, limit],
    );
  }
}
