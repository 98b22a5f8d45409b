import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Sessions (rotating refresh tokens), one-time e-mail tokens, invitations and API keys.
 * Invitations and API keys are tenant rows, but they must be found by their secret before the
 * organization is known: their policies also admit the one row whose hash the transaction names
 * in `app.token_hash` — knowing the secret is the capability, nothing else opens up.
 */
export class Identity1763900100000 implements MigrationInterface {
  name = 'Identity1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_token_hash() RETURNS text LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.token_hash', true), '') $$;

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        replaced_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
      GRANT SELECT, INSERT, UPDATE ON refresh_tokens TO vault_app;

      CREATE TABLE email_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX email_tokens_hash_key ON email_tokens (token_hash);
      GRANT SELECT, INSERT, UPDATE ON email_tokens TO vault_app;

      CREATE TABLE invites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'EDITOR', 'VIEWER')),
        token_hash text NOT NULL,
        invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX invites_hash_key ON invites (token_hash);
      CREATE INDEX invites_org_idx ON invites (organization_id, created_at);
      ${tenantTableSql('invites', { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'token_hash = app_token_hash()' })}

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX api_keys_hash_key ON api_keys (key_hash);
      CREATE INDEX api_keys_org_user_idx ON api_keys (organization_id, user_id);
      ${tenantTableSql('api_keys', { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'key_hash = app_token_hash()', alsoWritableWhen: 'key_hash = app_token_hash()' })}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE api_keys;
      DROP TABLE invites;
      DROP TABLE email_tokens;
      DROP TABLE refresh_tokens;
      DROP FUNCTION app_token_hash();
    `);
  }
}
