import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Organization settings (issue 15 item 5, API-CONTRACT.md "Organization settings"): one row per
 * organization once an OWNER or ADMIN changed something; no row means the defaults
 * (`OrganizationSettingsService.DEFAULTS`). Two of them change what roles may do and are read at
 * admission with the membership (`viewers_may_run`, `members_may_export`).
 */
export class OrganizationSettings1764000000000 implements MigrationInterface {
  name = 'OrganizationSettings1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization_settings (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        default_role text NOT NULL DEFAULT 'EDITOR' CHECK (default_role IN ('ADMIN', 'EDITOR', 'VIEWER')),
        allowed_email_domains text[] NOT NULL DEFAULT '{}',
        members_may_export boolean NOT NULL DEFAULT true,
        viewers_may_run boolean NOT NULL DEFAULT false,
        session_ttl_minutes integer CHECK (session_ttl_minutes BETWEEN 5 AND 43200),
        require_test_run_for_production boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ${tenantTableSql('organization_settings', { grants: 'SELECT, INSERT, UPDATE' })}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organization_settings`);
  }
}
