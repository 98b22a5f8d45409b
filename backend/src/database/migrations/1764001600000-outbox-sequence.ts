import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows drained in the order they were written.
 *
 * The drain read `ORDER BY created_at, id`. `created_at` is `clock_timestamp()` at the insert, and
 * two inserts of one transaction can read the same clock (PGlite's clock has a coarse tick), so the
 * random `id` decided between them: a prompt edit's `prompt.updated` and `prompt.version_created`
 * then reached webhooks in either order. `seq` is taken from an identity sequence at the insert; the
 * inserts of one transaction are numbered in the order they ran, and changes of one prompt are
 * numbered after its row lock, so in the order they happened. Existing rows are numbered in their
 * former (created_at, id) order, and the sequence continues after them.
 *
 * An identity column's sequence needs no grant: `vault_app` inserts without USAGE on it. The
 * pending index keys on `seq` instead of `created_at`.
 */
export class OutboxSequence1764001600000 implements MigrationInterface {
  name = 'OutboxSequence1764001600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox_events ADD COLUMN seq bigint;
      -- The owner sees every tenant's rows (for the numbering and for max(seq)) only while RLS is
      -- not forced; all of this is one transaction, whose first ALTER also holds off new rows.
      ALTER TABLE outbox_events NO FORCE ROW LEVEL SECURITY;
      UPDATE outbox_events e SET seq = o.n
        FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM outbox_events) o
       WHERE e.id = o.id;
      ALTER TABLE outbox_events ALTER COLUMN seq SET NOT NULL;
      ALTER TABLE outbox_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
      SELECT setval(pg_get_serial_sequence('outbox_events', 'seq'), coalesce(max(seq), 0) + 1, false)
        FROM outbox_events;
      ALTER TABLE outbox_events FORCE ROW LEVEL SECURITY;
      DROP INDEX outbox_events_pending_idx;
      CREATE INDEX outbox_events_pending_idx ON outbox_events (organization_id, seq) WHERE processed_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX outbox_events_pending_idx;
      CREATE INDEX outbox_events_pending_idx ON outbox_events (organization_id, created_at) WHERE processed_at IS NULL;
      ALTER TABLE outbox_events DROP COLUMN seq;
    `);
  }
}
