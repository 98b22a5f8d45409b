import { randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  chainHash,
  ChainedFields,
  GENESIS_HASH,
  hasPersonal,
  PersonalFields,
  personalCommitment,
} from '../../modules/audit/audit-chain';
import { tenantTableSql } from '../tenancy/rls';

interface StoredEvent {
  id: string;
  seq: string;
  occurred_at: Date;
  actor_type: ChainedFields['actorType'];
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  changes: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
  key_user_id: string | null;
}

const v1Fields = (organizationId: string, r: StoredEvent): ChainedFields => ({
  organizationId,
  seq: Number(r.seq),
  occurredAt: r.occurred_at,
  actorType: r.actor_type,
  actorId: r.actor_id,
  actorEmail: r.actor_email,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  ip: r.ip,
  userAgent: r.user_agent,
  requestId: r.request_id,
  changes: r.changes,
});

/**
 * Re-chains every organization's verified version-1 events under version 2 (see the migration's
 * comment). A chain whose first event is already version 2 fails the version-1 check at once and
 * is left as it is, so running it again changes nothing.
 */
export async function rechainUnderVersion2(q: QueryRunner): Promise<void> {
  // The tables force row-level security (the owner is bound too): list in system scope, then
  // work in each organization's scope.
  await q.query(`SELECT set_config('app.system', 'on', true)`);
  const orgs = (await q.query(
    `SELECT DISTINCT organization_id FROM audit_events ORDER BY organization_id`,
  )) as Array<{ organization_id: string }>;
  await q.query(`SELECT set_config('app.system', '', true)`);
  for (const { organization_id: org } of orgs) {
    await q.query(`SELECT set_config('app.org_id', $1, true)`, [org]);
    const rows = (await q.query(
      `SELECT e.*, k.user_id AS key_user_id
         FROM audit_events e
         LEFT JOIN api_keys k ON e.actor_type = 'api_key' AND k.id = e.actor_id
        WHERE e.organization_id = $1 ORDER BY e.seq`,
      [org],
    )) as StoredEvent[];
    if (!rows.length) continue;
    // The chain starts at the genesis hash or at the retention checkpoint.
    const [checkpoint] = (await q.query(
      `SELECT seq, hash FROM audit_checkpoints WHERE organization_id = $1`,
      [org],
    )) as Array<{ seq: string; hash: string } | undefined>;
    let oldPrev = checkpoint?.hash ?? GENESIS_HASH;
    let expectedSeq = checkpoint ? Number(checkpoint.seq) + 1 : 1;
    let newPrev = oldPrev;
    for (const r of rows) {
      const seq = Number(r.seq);
      const intact =
        seq === expectedSeq && r.prev_hash === oldPrev && chainHash(r.prev_hash, v1Fields(org, r)) === r.hash;
      if (!intact) break;
      const personal: PersonalFields = { actorEmail: r.actor_email, ip: r.ip, userAgent: r.user_agent };
      const salt = hasPersonal(personal) ? randomBytes(16).toString('hex') : null;
      const fields: ChainedFields = {
        ...v1Fields(org, r),
        actorEmail: null,
        ip: null,
        userAgent: null,
        hashVersion: 2,
        personalHash: salt ? personalCommitment(salt, personal) : null,
      };
      const hash = chainHash(newPrev, fields);
      await q.query(
        `UPDATE audit_events
            SET hash_version = 2, personal_hash = $2, actor_email = NULL, ip = NULL, user_agent = NULL,
                prev_hash = $3, hash = $4
          WHERE id = $1`,
        [r.id, fields.personalHash, newPrev, hash],
      );
      if (salt)
        await q.query(
          `INSERT INTO audit_event_personal (event_id, organization_id, seq, subject_id, actor_email, ip, user_agent, salt)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            r.id,
            org,
            seq,
            r.actor_type === 'user' ? r.actor_id : r.key_user_id,
            personal.actorEmail,
            personal.ip,
            personal.userAgent,
            salt,
          ],
        );
      oldPrev = r.hash;
      newPrev = hash;
      expectedSeq = seq + 1;
    }
  }
  await q.query(`SELECT set_config('app.org_id', '', true)`);
}

/**
 * GDPR erasure of personal data in the audit trail (issue 15 item 4, docs/compliance.md#gdpr).
 *
 * - `audit_events.hash_version`: 1 hashes the actor's e-mail, the IP and the user agent in clear;
 *   2 keeps them out of the row, in `audit_event_personal` with a random salt, and hashes only
 *   `personal_hash = sha256(salt + canonical {actorEmail, ip, userAgent})`. Deleting the side row
 *   (values and salt) erases them for good while the chain still verifies.
 * - `audit_event_personal.subject_id`: the user the values are about (the actor, or an API key's
 *   owner), which erasure looks for. `vault_app` may read and insert; a user may read their own
 *   rows in every organization (to find where their erasure must go). Rows leave only through
 *   `app_audit_erase_personal(user)` (SECURITY DEFINER): the transaction's organization only, and
 *   never while that user is still one of its members; or with their event (retention).
 * - Existing chains are re-chained once under version 2, per organization in seq order (before
 *   1.0 this is acceptable; exports taken before keep verifying on their own with version 1).
 *   Only the verified prefix of a chain is re-chained: from an already broken link on, the rows
 *   stay version 1, so the break (the evidence) stays where it was.
 */
export class Privacy1763901200000 implements MigrationInterface {
  name = 'Privacy1763901200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_events
        ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2)),
        ADD COLUMN personal_hash text;

      CREATE TABLE audit_event_personal (
        event_id uuid PRIMARY KEY REFERENCES audit_events (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        subject_id uuid,
        actor_email text,
        ip text,
        user_agent text,
        salt text NOT NULL
      );
      CREATE INDEX audit_event_personal_subject_idx ON audit_event_personal (subject_id, organization_id);
      CREATE INDEX audit_event_personal_org_seq_idx ON audit_event_personal (organization_id, seq);
      ${tenantTableSql('audit_event_personal', { grants: 'SELECT, INSERT' })}
      CREATE POLICY audit_event_personal_own_read ON audit_event_personal FOR SELECT
        USING (subject_id IS NOT NULL AND subject_id = app_user_id());

      CREATE FUNCTION app_audit_erase_personal(subject uuid) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          org uuid := app_org_id();
          erased bigint;
        BEGIN
          IF org IS NULL THEN
            RAISE EXCEPTION 'app_audit_erase_personal needs app.org_id';
          END IF;
          IF EXISTS (SELECT 1 FROM memberships WHERE organization_id = org AND user_id = subject) THEN
            RAISE EXCEPTION 'app_audit_erase_personal: % is still a member of %', subject, org;
          END IF;
          DELETE FROM audit_event_personal WHERE organization_id = org AND subject_id = subject;
          GET DIAGNOSTICS erased = ROW_COUNT;
          RETURN erased;
        END $$;
      REVOKE ALL ON FUNCTION app_audit_erase_personal(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_audit_erase_personal(uuid) TO vault_app;
    `);
    await rechainUnderVersion2(q);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN hash_version SET DEFAULT 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Version-2 rows cannot be turned back into version 1 where their personal data was erased.
    await q.query(`
      DROP FUNCTION app_audit_erase_personal(uuid);
      DROP TABLE audit_event_personal;
      ALTER TABLE audit_events DROP COLUMN personal_hash, DROP COLUMN hash_version;
    `);
  }
}
