import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Provider keys (issue 12): an organization's own API keys for model providers, encrypted at rest
 * with AES-256-GCM (`common/security/secret-box.ts`). `ciphertext`, `iv` and `auth_tag` are the
 * sealed key with the organization id as additional authenticated data; `key_version` names the
 * master key that sealed it (a fingerprint of `ENCRYPTION_KEY`), so `npm run keys:rotate` finds the
 * rows still under an older key. `last4` is all of the key that is ever shown again.
 *
 * The rotation re-encrypts every organization's rows in one system transaction, hence
 * `app_is_system()` in the policy.
 */
export class ProviderKeys1763900800000 implements MigrationInterface {
  name = 'ProviderKeys1763900800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        provider text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'google', 'openai-compatible')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL CHECK (octet_length(iv) = 12),
        auth_tag bytea NOT NULL CHECK (octet_length(auth_tag) = 16),
        key_version integer NOT NULL,
        last4 text NOT NULL,
        base_url text,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        CONSTRAINT provider_keys_base_url_required
          CHECK (provider <> 'openai-compatible' OR base_url IS NOT NULL)
      );
      CREATE UNIQUE INDEX provider_keys_org_name_key ON provider_keys (organization_id, lower(name));
      CREATE INDEX provider_keys_key_version_idx ON provider_keys (key_version);
      ${tenantTableSql('provider_keys', {
        grants: 'SELECT, INSERT, UPDATE, DELETE',
        alsoVisibleWhen: 'app_is_system()',
        alsoWritableWhen: 'app_is_system()',
      })}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_keys;`);
  }
}
