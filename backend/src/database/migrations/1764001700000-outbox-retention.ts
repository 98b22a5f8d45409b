import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivered outbox rows are deleted after OUTBOX_RETENTION_DAYS (OutboxPruner): the application
 * role may now delete outbox rows. The tenant policy still confines a delete to the scope's
 * organization, or to system work that says so (`app_is_system()`), which is how the pruner runs.
 */
export class OutboxRetention1764001700000 implements MigrationInterface {
  name = 'OutboxRetention1764001700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT DELETE ON outbox_events TO vault_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON outbox_events FROM vault_app`);
  }
}
