import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * SAML single sign-on: one IdP configuration per organization, the assertion ids already used
 * (replay protection, kept until the assertion expires) and the one-time codes that hand a
 * finished SSO sign-in over to the console.
 *
 * The public SAML routes know only the organization's slug. Instead of a privileged lookup, the
 * transaction names the slug in `app.sso_slug`, and one extra read-only policy admits exactly the
 * organization with that slug (the same idea as `app.token_hash` for invites).
 */
export class Sso1763900300000 implements MigrationInterface {
  name = 'Sso1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_sso_slug() RETURNS text LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.sso_slug', true), '') $$;
      CREATE POLICY organizations_sso_slug ON organizations FOR SELECT USING (slug = app_sso_slug());

      CREATE TABLE sso_settings (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        enabled boolean NOT NULL DEFAULT true,
        idp_entity_id text NOT NULL,
        idp_sso_url text NOT NULL,
        idp_certificate text NOT NULL,
        metadata_url text,
        attribute_mapping jsonb NOT NULL,
        role_mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
        default_role text NOT NULL CHECK (default_role IN ('ADMIN', 'EDITOR', 'VIEWER')),
        sso_required boolean NOT NULL DEFAULT false,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ${tenantTableSql('sso_settings', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE sso_assertions (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        assertion_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sso_assertions_pkey PRIMARY KEY (organization_id, assertion_id)
      );
      CREATE INDEX sso_assertions_expiry_idx ON sso_assertions (organization_id, expires_at);
      ${tenantTableSql('sso_assertions', { grants: 'SELECT, INSERT, DELETE' })}

      CREATE TABLE sso_login_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX sso_login_codes_hash_key ON sso_login_codes (code_hash);
      CREATE INDEX sso_login_codes_org_idx ON sso_login_codes (organization_id, expires_at);
      ${tenantTableSql('sso_login_codes', {
        grants: 'SELECT, INSERT, UPDATE, DELETE',
        alsoVisibleWhen: 'code_hash = app_token_hash()',
        alsoWritableWhen: 'code_hash = app_token_hash()',
      })}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sso_login_codes;
      DROP TABLE sso_assertions;
      DROP TABLE sso_settings;
      DROP POLICY organizations_sso_slug ON organizations;
      DROP FUNCTION app_sso_slug();
    `);
  }
}
