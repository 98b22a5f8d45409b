import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Label history in the order the moves happened (issue 16, item 14).
 *
 * `moved_at` is `now()`, the start of the moving transaction: moves made in one transaction tie,
 * and of two concurrent moves of one label the one that waited for the other's row lock can carry
 * the earlier time. `seq` is taken from an identity sequence when the move is inserted, which for
 * one label is after its row lock, so it follows the order of the moves. Existing rows are numbered
 * in their former (moved_at, id) order, and the sequence continues after them.
 *
 * An identity column's sequence needs no grant: `vault_app` inserts without USAGE on it. The
 * table's policies are unchanged; the history indexes key on `seq` instead of `moved_at`.
 */
export class LabelMoveSequence1763900600000 implements MigrationInterface {
  name = 'LabelMoveSequence1763900600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE prompt_label_moves ADD COLUMN seq bigint;
      -- The owner sees every tenant's rows (for the numbering and for max(seq)) only while RLS is
      -- not forced; all of this is one transaction, whose first ALTER also holds off new moves.
      ALTER TABLE prompt_label_moves NO FORCE ROW LEVEL SECURITY;
      UPDATE prompt_label_moves m SET seq = o.n
        FROM (SELECT id, row_number() OVER (ORDER BY moved_at, id) AS n FROM prompt_label_moves) o
       WHERE m.id = o.id;
      ALTER TABLE prompt_label_moves ALTER COLUMN seq SET NOT NULL;
      ALTER TABLE prompt_label_moves ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
      SELECT setval(pg_get_serial_sequence('prompt_label_moves', 'seq'), coalesce(max(seq), 0) + 1, false)
        FROM prompt_label_moves;
      ALTER TABLE prompt_label_moves FORCE ROW LEVEL SECURITY;
      DROP INDEX prompt_label_moves_prompt_idx;
      DROP INDEX prompt_label_moves_prompt_label_idx;
      -- Unique: the history's cursor is the seq alone.
      CREATE UNIQUE INDEX prompt_label_moves_prompt_seq_key ON prompt_label_moves (prompt_id, seq);
      CREATE INDEX prompt_label_moves_prompt_label_seq_idx ON prompt_label_moves (prompt_id, label, seq);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX prompt_label_moves_prompt_label_seq_idx;
      DROP INDEX prompt_label_moves_prompt_seq_key;
      CREATE INDEX prompt_label_moves_prompt_idx ON prompt_label_moves (prompt_id, moved_at DESC);
      CREATE INDEX prompt_label_moves_prompt_label_idx ON prompt_label_moves (prompt_id, label, moved_at DESC);
      ALTER TABLE prompt_label_moves DROP COLUMN seq;
    `);
  }
}
