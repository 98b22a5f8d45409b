import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Audit retention (issue 15, docs/compliance.md#retention).
 *
 * - `audit_settings`: an organization's chosen retention in days (`NULL` or no row: the plan's maximum).
 * - `audit_checkpoints`: the organization's latest retention checkpoint, the seq and hash of the last
 *   deleted event, signed with the audit signing key (Ed25519 over the UTF-8 bytes of
 *   `JSON.stringify({organizationId, seq, hash, createdAt})`). Verification starts from it.
 *
 * `audit_events` stays append-only for `vault_app` (SELECT, INSERT). Old events leave only through
 * `app_audit_prune`, a SECURITY DEFINER function (it runs as the schema owner) that deletes one
 * organization's (`app.org_id`) events up to and including a given seq, and only when:
 * that event exists with the given hash, it is older than a day, the new checkpoint is past the
 * previous one, and the checkpoint with its signature is written in the same statement. So the
 * runtime role can never remove recent events, punch a hole in the middle of a chain, or delete
 * without leaving a checkpoint behind. The retention job finds the organizations with old events
 * in system scope: `audit_events_system_read` opens reads (never writes) to `app_is_system()`.
 */
export class AuditRetention1763901100000 implements MigrationInterface {
  name = 'AuditRetention1763901100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_settings (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        retention_days integer CHECK (retention_days BETWEEN 1 AND 36500),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ${tenantTableSql('audit_settings', { grants: 'SELECT, INSERT, UPDATE' })}

      CREATE TABLE audit_checkpoints (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq > 0),
        hash text NOT NULL,
        signature text NOT NULL,
        deleted_count bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL
      );
      ${tenantTableSql('audit_checkpoints', { grants: 'SELECT' })}

      CREATE FUNCTION app_audit_prune(
        upto_seq bigint, upto_hash text, checkpoint_at timestamptz, checkpoint_signature text
      ) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          org uuid := app_org_id();
          previous bigint;
          deleted bigint;
        BEGIN
          IF org IS NULL THEN
            RAISE EXCEPTION 'app_audit_prune needs app.org_id';
          END IF;
          PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || org::text, 7301));
          IF NOT EXISTS (
            SELECT 1 FROM audit_events
             WHERE organization_id = org AND seq = upto_seq AND hash = upto_hash
               AND occurred_at < now() - interval '1 day'
          ) THEN
            RAISE EXCEPTION 'app_audit_prune: no event % with that hash older than a day', upto_seq;
          END IF;
          SELECT seq INTO previous FROM audit_checkpoints WHERE organization_id = org;
          IF previous IS NOT NULL AND previous >= upto_seq THEN
            RAISE EXCEPTION 'app_audit_prune: checkpoint % is not past %', upto_seq, previous;
          END IF;
          DELETE FROM audit_events WHERE organization_id = org AND seq <= upto_seq;
          GET DIAGNOSTICS deleted = ROW_COUNT;
          INSERT INTO audit_checkpoints AS c (organization_id, seq, hash, signature, deleted_count, created_at)
               VALUES (org, upto_seq, upto_hash, checkpoint_signature, deleted, checkpoint_at)
          ON CONFLICT (organization_id) DO UPDATE
               SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, signature = EXCLUDED.signature,
                   deleted_count = c.deleted_count + EXCLUDED.deleted_count, created_at = EXCLUDED.created_at;
          RETURN deleted;
        END $$;
      REVOKE ALL ON FUNCTION app_audit_prune(bigint, text, timestamptz, text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_audit_prune(bigint, text, timestamptz, text) TO vault_app;

      -- The retention job finds the organizations with old events in system scope (reads only).
      CREATE POLICY audit_events_system_read ON audit_events FOR SELECT USING (app_is_system());
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY audit_events_system_read ON audit_events;
      DROP FUNCTION app_audit_prune(bigint, text, timestamptz, text);
      DROP TABLE audit_checkpoints;
      DROP TABLE audit_settings;
    `);
  }
}
