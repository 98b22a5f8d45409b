import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Per-collection budgets (issue 13, docs/analytics.md "Collection budgets").
 *
 * - `collection_budgets`: a monthly budget for one collection (its prompts and those of its
 *   descendant collections), with thresholds and a hard stop. Deleting the collection deletes it.
 * - `budget_notifications` gets `collection_id` (null for the organization budget): a threshold
 *   is notified once per month per budget. The primary key becomes a unique key that treats the
 *   organization budget's null as one value.
 * - `app_collection_spend(since, collections)`: this month's cost per collection subtree of the
 *   calling organization. The spend of a collection counts every prompt in it, also members'
 *   private prompts the caller cannot see (a budget that skipped them would be wrong), so the
 *   function reads `prompts` with `app.system` on for its own duration; only sums per collection
 *   leave it, and only for `app_org_id()`.
 */
export class CollectionBudgets1764000850000 implements MigrationInterface {
  name = 'CollectionBudgets1764000850000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE collection_budgets (
        collection_id uuid PRIMARY KEY REFERENCES collections (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        monthly_limit_usd numeric(14, 2) NOT NULL CHECK (monthly_limit_usd > 0),
        thresholds integer[] NOT NULL DEFAULT '{50,80,100}',
        hard_stop boolean NOT NULL DEFAULT false,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX collection_budgets_org_idx ON collection_budgets (organization_id);
      ${tenantTableSql('collection_budgets', { grants: 'SELECT, INSERT, UPDATE, DELETE', alsoVisibleWhen: 'app_is_system()' })}

      ALTER TABLE budget_notifications
        ADD COLUMN collection_id uuid REFERENCES collections (id) ON DELETE CASCADE;
      ALTER TABLE budget_notifications DROP CONSTRAINT budget_notifications_pkey;
      ALTER TABLE budget_notifications ADD CONSTRAINT budget_notifications_key
        UNIQUE NULLS NOT DISTINCT (organization_id, collection_id, month, threshold);

      CREATE FUNCTION app_collection_spend(since timestamptz, roots uuid[])
        RETURNS TABLE (collection_id uuid, spent double precision)
        LANGUAGE sql STABLE SET app.system = 'on' SET search_path = public, pg_temp AS $$
        WITH RECURSIVE tree (root, id) AS (
          SELECT c.id, c.id FROM collections c
           WHERE c.organization_id = app_org_id() AND c.id = ANY (roots)
          UNION
          SELECT t.root, c.id FROM collections c JOIN tree t ON c.parent_id = t.id
           WHERE c.organization_id = app_org_id()
        )
        SELECT t.root, coalesce(sum(r.cost_usd), 0)::float8
          FROM tree t
          JOIN prompts p ON p.collection_id = t.id AND p.organization_id = app_org_id()
          JOIN usage_rollups_daily r ON r.organization_id = app_org_id() AND r.prompt_id = p.id AND r.bucket >= since
         GROUP BY t.root
      $$;
      REVOKE ALL ON FUNCTION app_collection_spend(timestamptz, uuid[]) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION app_collection_spend(timestamptz, uuid[]) TO vault_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION app_collection_spend(timestamptz, uuid[]);
      DELETE FROM budget_notifications WHERE collection_id IS NOT NULL;
      ALTER TABLE budget_notifications DROP CONSTRAINT budget_notifications_key;
      ALTER TABLE budget_notifications DROP COLUMN collection_id;
      ALTER TABLE budget_notifications ADD PRIMARY KEY (organization_id, month, threshold);
      DROP TABLE collection_budgets;
    `);
  }
}
