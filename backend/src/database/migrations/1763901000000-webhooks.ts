import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Outbound webhooks (issue 14, docs/webhooks.md).
 *
 * - `webhooks`: an organization's endpoints and the event types they subscribe to. `failing_since`
 *   is when the current run of failed attempts began (null after any success); an endpoint failing
 *   for WEBHOOK_DISABLE_AFTER_MS is disabled with `disabled_reason = 'failing'`.
 * - `webhook_secrets`: the signing secrets, sealed with AES-256-GCM under the master key
 *   (`common/security/secret-box.ts`, the organization id as additional data). A rotation gives the
 *   current secret an `expires_at` (the overlap window) and adds a new one: every secret not yet
 *   expired signs, so receivers see several `v1,` signatures during the overlap.
 * - `webhook_deliveries`: one row per (endpoint, event), created in the outbox drain's transaction
 *   (unique on `(webhook_id, event_id)` for first deliveries, so a re-drained outbox row creates
 *   nothing twice) or by a test / a redelivery. `seq` orders them; a pending delivery waits while an
 *   earlier pending one of the same endpoint has the same `order_key` (`prompt:<id>`), which keeps
 *   the events of one prompt in order. `next_attempt_at` is when it may be tried next; a worker
 *   that takes it pushes it forward by a lease, so a crashed worker's delivery is tried again.
 *
 * The dispatcher finds due deliveries of every organization in one system transaction, hence
 * `app_is_system()` in the deliveries' policy.
 */
export class Webhooks1763901000000 implements MigrationInterface {
  name = 'Webhooks1763901000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        url text NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2000),
        description text CHECK (char_length(description) <= 500),
        events text[] NOT NULL CHECK (cardinality(events) >= 1),
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text CHECK (disabled_reason IN ('failing')),
        failing_since timestamptz,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhooks_org_idx ON webhooks (organization_id, created_at, id);
      ${tenantTableSql('webhooks', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE webhook_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL CHECK (octet_length(iv) = 12),
        auth_tag bytea NOT NULL CHECK (octet_length(auth_tag) = 16),
        key_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz
      );
      CREATE INDEX webhook_secrets_webhook_idx ON webhook_secrets (webhook_id, created_at);
      ${tenantTableSql('webhook_secrets', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        type text NOT NULL,
        order_key text,
        body text NOT NULL,
        redelivery_of uuid REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        retry_until timestamptz NOT NULL,
        last_attempt_at timestamptz,
        response_status integer,
        duration_ms integer,
        response_excerpt text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE UNIQUE INDEX webhook_deliveries_event_key ON webhook_deliveries (webhook_id, event_id)
        WHERE redelivery_of IS NULL AND type <> 'webhook.test';
      CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, seq DESC);
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, order_key, seq)
        WHERE status = 'pending';
      ${tenantTableSql('webhook_deliveries', {
        grants: 'SELECT, INSERT, UPDATE, DELETE',
        alsoVisibleWhen: 'app_is_system()',
      })}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries; DROP TABLE webhook_secrets; DROP TABLE webhooks;`);
  }
}
