import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Billing (issue 11):
 *
 * - `organizations.plan` stays the plan paid for or chosen; it may now only hold a known plan.
 * - `organization_billing`: the organization's subscription as last read from Stripe (or none),
 *   one row per organization, created on first write. Which limits apply is computed from it
 *   (`effectivePlan`): nothing is deleted when a plan lapses. `custom_limits` holds an Enterprise
 *   contract's limits. A Stripe webhook reaches it in a system transaction (it names a customer,
 *   not our organization), hence `app_is_system()`.
 * - `stripe_events`: the id of every Stripe event applied, so a replay changes nothing. Not a tenant
 *   table: only the webhook (system transaction) reads and writes it.
 */
export class Billing1763900700000 implements MigrationInterface {
  name = 'Billing1763900700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organizations
        ADD CONSTRAINT organizations_plan_check CHECK (plan IN ('free', 'starter', 'pro', 'enterprise'));

      CREATE TABLE organization_billing (
        organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'none'
          CHECK (status IN ('active', 'trialing', 'past_due', 'canceled', 'none')),
        interval text CHECK (interval IN ('month', 'year')),
        stripe_customer_id text,
        stripe_subscription_id text,
        current_period_end timestamptz,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        past_due_since timestamptz,
        custom_limits jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX organization_billing_customer_key
        ON organization_billing (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL;
      ${tenantTableSql('organization_billing', { grants: 'SELECT, INSERT, UPDATE', alsoVisibleWhen: 'app_is_system()', alsoWritableWhen: 'app_is_system()' })}

      CREATE TABLE stripe_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      GRANT SELECT, INSERT ON stripe_events TO vault_app;
      ALTER TABLE stripe_events ENABLE ROW LEVEL SECURITY;
      ALTER TABLE stripe_events FORCE ROW LEVEL SECURITY;
      CREATE POLICY stripe_events_system ON stripe_events USING (app_is_system()) WITH CHECK (app_is_system());
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE stripe_events;
      DROP TABLE organization_billing;
      ALTER TABLE organizations DROP CONSTRAINT organizations_plan_check;
    `);
  }
}
