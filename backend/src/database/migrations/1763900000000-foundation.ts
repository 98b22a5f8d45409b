import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * The tenancy core: the `vault_app` runtime role, the helpers RLS policies use, the identity tables
 * every tenant table hangs off, the audit trail and the outbox. Each tenant table gets RLS ENABLE +
 * FORCE and its policy in this same migration.
 */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vault_app') THEN
          CREATE ROLE vault_app NOLOGIN NOINHERIT;
        END IF;
      END $$;
    `);
    // A non-superuser owner must be a member of vault_app to switch to it inside transactions.
    await q.query(`
      DO $$ BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           AND NOT pg_has_role(current_user, 'vault_app', 'MEMBER') THEN
          EXECUTE format('GRANT vault_app TO %I', current_user);
        END IF;
      END $$;
    `);
    await q.query(`GRANT USAGE ON SCHEMA public TO vault_app`);
    await q.query(`
      CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;
      CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
      -- System work that spans organizations (the outbox sweeper) says so explicitly; a forgotten
      -- WHERE clause in tenant code never does.
      CREATE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE
        AS $$ SELECT coalesce(current_setting('app.system', true), '') = 'on' $$;
    `);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text,
        email_verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      GRANT SELECT, INSERT, UPDATE ON users TO vault_app;
    `);

    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL,
        plan text NOT NULL DEFAULT 'free',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug);
      GRANT SELECT, INSERT, UPDATE, DELETE ON organizations TO vault_app;

      CREATE TABLE memberships (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'EDITOR', 'VIEWER')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT memberships_pkey PRIMARY KEY (organization_id, user_id)
      );
      CREATE INDEX memberships_user_idx ON memberships (user_id);
    `);
    // A member sees the organization's memberships; a user sees their own across organizations.
    await q.query(
      tenantTableSql('memberships', {
        grants: 'SELECT, INSERT, UPDATE, DELETE',
        alsoVisibleWhen: 'user_id = app_user_id()',
      }),
    );
    await q.query(`

      ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
      ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
      CREATE POLICY organizations_tenant ON organizations
        USING (
          id = app_org_id()
          OR EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = organizations.id AND m.user_id = app_user_id())
        )
        WITH CHECK (id = app_org_id());
    `);

    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_email text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        ip text,
        user_agent text,
        request_id text,
        changes jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT audit_events_org_seq_key UNIQUE (organization_id, seq)
      );
      CREATE INDEX audit_events_org_occurred_idx ON audit_events (organization_id, occurred_at);
      CREATE INDEX audit_events_org_action_idx ON audit_events (organization_id, action, seq);
      CREATE INDEX audit_events_org_target_idx ON audit_events (organization_id, target_type, target_id);
      CREATE INDEX audit_events_org_actor_idx ON audit_events (organization_id, actor_id);
    `);
    // Append-only: the runtime role may read and add, never change or remove.
    await q.query(tenantTableSql('audit_events', { grants: 'SELECT, INSERT' }));

    // No foreign key to organizations: an organization's deletion must still reach the consumers
    // (search index, webhooks) through its own outbox rows.
    await q.query(`
      CREATE TABLE outbox_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        processed_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outbox_events_pending_idx ON outbox_events (organization_id, created_at) WHERE processed_at IS NULL;
    `);
    await q.query(
      tenantTableSql('outbox_events', {
        grants: 'SELECT, INSERT, UPDATE',
        alsoVisibleWhen: 'app_is_system()',
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outbox_events;
      DROP TABLE audit_events;
      DROP TABLE memberships;
      DROP TABLE organizations;
      DROP TABLE users;
      DROP FUNCTION app_is_system();
      DROP FUNCTION app_user_id();
      DROP FUNCTION app_org_id();
      REVOKE USAGE ON SCHEMA public FROM vault_app;
    `);
  }
}
