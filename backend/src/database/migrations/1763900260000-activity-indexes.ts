import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The activity feed of one prompt (`GET /activity?promptId=`) reads audit events whose target is
 * the prompt (served by audit_events_org_target_idx) or that name it in `changes.promptId`
 * (comments): this index serves the latter, so a prompt's feed does not scan the organization's
 * whole audit trail.
 */
export class ActivityIndexes1763900260000 implements MigrationInterface {
  name = 'ActivityIndexes1763900260000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX audit_events_org_prompt_idx ON audit_events (organization_id, (changes->>'promptId'), seq);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_org_prompt_idx;`);
  }
}
