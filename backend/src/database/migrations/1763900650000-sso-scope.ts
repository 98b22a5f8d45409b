import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * SSO sessions reach only the organization whose IdP signed them in (issue 16, item 10):
 *
 * - `refresh_tokens.organization_scope`: the organization an SSO session is bound to (null for a
 *   password session, which is account-wide). Refreshing keeps the scope, so a rotated token does
 *   not widen it. The session dies with the organization.
 * - `sso_requests`: the AuthnRequest ids we issued, each accepted once as `InResponseTo` before it
 *   expires, so a response must answer a request of ours.
 * - `sso_settings.allow_idp_initiated`: whether a response that answers no request (IdP-initiated
 *   sign-in) is accepted at all. Off by default: an unsolicited response is what a login-CSRF or a
 *   response lifted from another flow looks like.
 *
 * And, for item 12 (private means private), `app_private_prompt_authors(ids)`: which of these
 * prompts of the current organization are private, and whose. The audit trail redacts events about
 * them for everyone but the author; the privacy policy on `prompts` hides exactly those rows from
 * the reader, so the function opens that policy (`app.system` for its own duration only) and
 * answers nothing but ids and authors, in the caller's organization.
 */
export class SsoScope1763900650000 implements MigrationInterface {
  name = 'SsoScope1763900650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE refresh_tokens
        ADD COLUMN organization_scope uuid REFERENCES organizations (id) ON DELETE CASCADE;
      ALTER TABLE sso_settings ADD COLUMN allow_idp_initiated boolean NOT NULL DEFAULT false;

      CREATE TABLE sso_requests (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        request_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sso_requests_pkey PRIMARY KEY (organization_id, request_id)
      );
      CREATE INDEX sso_requests_expiry_idx ON sso_requests (organization_id, expires_at);
      ${tenantTableSql('sso_requests', { grants: 'SELECT, INSERT, DELETE' })}

      CREATE FUNCTION app_private_prompt_authors(ids uuid[]) RETURNS TABLE (id uuid, author_id uuid)
        LANGUAGE sql STABLE SET app.system = 'on'
        AS $$ SELECT p.id, p.author_id FROM prompts p
               WHERE p.organization_id = app_org_id() AND p.id = ANY (ids) AND p.visibility = 'private' $$;
      GRANT EXECUTE ON FUNCTION app_private_prompt_authors(uuid[]) TO vault_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION app_private_prompt_authors(uuid[]);
      DROP TABLE sso_requests;
      ALTER TABLE sso_settings DROP COLUMN allow_idp_initiated;
      ALTER TABLE refresh_tokens DROP COLUMN organization_scope;
    `);
  }
}
