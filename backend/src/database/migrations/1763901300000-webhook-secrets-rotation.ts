import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `npm run keys:rotate` re-encrypts every sealed secret in one system transaction
 * (`MasterKeyRotation`, common/security): webhook signing secrets become visible and writable
 * there too, as provider keys already are. Tenant access is unchanged.
 */
export class WebhookSecretsRotation1763901300000 implements MigrationInterface {
  name = 'WebhookSecretsRotation1763901300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY webhook_secrets_tenant ON webhook_secrets;
      CREATE POLICY webhook_secrets_tenant ON webhook_secrets
        USING (organization_id = app_org_id() OR app_is_system())
        WITH CHECK (organization_id = app_org_id() OR app_is_system());
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY webhook_secrets_tenant ON webhook_secrets;
      CREATE POLICY webhook_secrets_tenant ON webhook_secrets
        USING (organization_id = app_org_id()) WITH CHECK (organization_id = app_org_id());
    `);
  }
}
