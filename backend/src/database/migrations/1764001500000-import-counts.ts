import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What `GET /imports/:id` reads no longer grows with the file (issue 14, import speed).
 *
 * Polling an import counted all its `import_rows` (each row carries its record, ~1.5 KB in the
 * benchmark) and sorted them all for the 200-row preview: at 100,000 rows about 1.5 s of database
 * time per poll, taken from the commit running beside it. Now:
 * - `imports.counts` holds the counts (`total`, `valid`, `invalid`, `duplicates`, `created`,
 *   `updated`, `skipped`, `failed`): written once when validation ends, and moved by each
 *   statement that records outcomes, in that statement's transaction (a batch that rolls back
 *   takes its counts with it). NULL while validating; imports validated before this migration
 *   get theirs here.
 * - `import_rows_problem_idx` lists the rows the preview shows first (errors, duplicates, failed),
 *   so the preview reads at most its 200 rows instead of sorting the whole import.
 */
export class ImportCounts1764001500000 implements MigrationInterface {
  name = 'ImportCounts1764001500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE imports ADD COLUMN counts jsonb;
      UPDATE imports i SET counts = (
        SELECT jsonb_build_object(
                 'total', count(*),
                 'valid', count(*) FILTER (WHERE data IS NOT NULL),
                 'invalid', count(*) FILTER (WHERE data IS NULL),
                 'duplicates', count(*) FILTER (WHERE duplicate IS NOT NULL),
                 'created', count(*) FILTER (WHERE outcome = 'created'),
                 'updated', count(*) FILTER (WHERE outcome = 'updated'),
                 'skipped', count(*) FILTER (WHERE outcome = 'skipped'),
                 'failed', count(*) FILTER (WHERE outcome = 'failed'))
          FROM import_rows r WHERE r.import_id = i.id)
       WHERE i.status <> 'validating';
      CREATE INDEX import_rows_problem_idx ON import_rows (import_id, row)
        WHERE data IS NULL OR duplicate IS NOT NULL OR outcome = 'failed';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX import_rows_problem_idx;
      ALTER TABLE imports DROP COLUMN counts;
    `);
  }
}
