import { MigrationInterface, QueryRunner } from 'typeorm';
import { bumpFunction, DEFERRAL_OFF } from './1764001800000-import-lanes';

/**
 * One lock order for every change of an organization's prompts: its audit chain's lock first,
 * then its row of `search_generations`.
 *
 * Both locks last until the transaction ends. Statements changing prompts bumped the search
 * generation (row lock) as they ran, and the change's audit event took the chain's advisory lock
 * later (AuditService); but a transaction that records an event before it changes prompts (an
 * edit that creates a tag: `tag.created`, then the tag links, whose trigger updates the prompt's
 * tag names) took them the other way round. Two such requests in one organization waited for
 * each other until PostgreSQL's deadlock detector rolled one back (a 409 `concurrent_change`
 * after a second): a third or more of the requests of a test of a few creations and edits at a
 * time (backend/test/concurrent-writes.int-spec.ts).
 *
 * Now the bump takes the audit chain's lock of each organization first (in organization order,
 * as the rows), so every writer takes the two in the same order; a transaction that already holds
 * the chain's lock takes it again at no cost. This costs no concurrency: the generation's row lock
 * already made two changes of one organization's prompts wait for each other from their first
 * statement to their commit. Bumps of nothing (an update of view and use counts only) take no lock.
 * `pv_lock_audit_chain` defines that lock for the application (AuditService takes it too); the
 * retention purge `app_audit_prune` (migration 1763901100000) spells the same key inline.
 */
export class AuditLockFirst1764001900000 implements MigrationInterface {
  name = 'AuditLockFirst1764001900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION pv_lock_audit_chain(org uuid) RETURNS void LANGUAGE sql AS $$
        SELECT pg_advisory_xact_lock(hashtextextended('audit:' || org::text, 7301))
      $$;
      REVOKE ALL ON FUNCTION pv_lock_audit_chain(uuid) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION pv_lock_audit_chain(uuid) TO vault_app;

      CREATE OR REPLACE FUNCTION pv_bump_search_generations(orgs uuid[]) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE targets uuid[];
      DECLARE org uuid;
      BEGIN
        IF coalesce(current_setting('app.defer_search_generation', true), '') = 'on' THEN
          RETURN;
        END IF;
        targets := ARRAY(SELECT DISTINCT o FROM unnest(orgs) o WHERE o IS NOT NULL ORDER BY o);
        FOREACH org IN ARRAY targets LOOP
          PERFORM pv_lock_audit_chain(org);
        END LOOP;
        INSERT INTO search_generations AS g (organization_id, generation, changed_at)
          SELECT o, nextval('search_generation_seq'), clock_timestamp() FROM unnest(targets) o ORDER BY o
        ON CONFLICT (organization_id)
          DO UPDATE SET generation = excluded.generation, changed_at = excluded.changed_at;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(bumpFunction(DEFERRAL_OFF));
    await q.query(`DROP FUNCTION pv_lock_audit_chain(uuid)`);
  }
}
