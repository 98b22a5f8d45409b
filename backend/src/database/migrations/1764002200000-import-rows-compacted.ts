import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `imports.rows_compacted_at`: when the sweeper emptied the `data` of a done import's rows (the
 * prompt of each record, as validation read it: about the file's size again, and read by nothing
 * once the import is done). Imports done before this migration are compacted by the next sweeps.
 */
export class ImportRowsCompacted1764002200000 implements MigrationInterface {
  name = 'ImportRowsCompacted1764002200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports ADD COLUMN rows_compacted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports DROP COLUMN rows_compacted_at`);
  }
}
