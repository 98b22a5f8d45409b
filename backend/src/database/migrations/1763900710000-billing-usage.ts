import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What plan enforcement must count or read beyond what row-level security shows the caller
 * (issue 11). Each function opens the policies (`app.system` for its own duration only) and
 * answers nothing but a number or a plan, for the scope the transaction already has:
 *
 * - `app_prompt_count()`: every prompt of the current organization, private ones of other
 *   authors included (the privacy policy hides those from a reader, but they count toward the
 *   plan's prompt limit).
 * - `app_owned_organizations_billing()`: the plan and subscription of each organization the current
 *   user is an OWNER of (the `ownedOrganizations` limit; other organizations' billing rows are not
 *   visible from the new organization's transaction).
 * - `app_api_key_billing(org)`: the plan and subscription of the organization of the API key whose
 *   hash the transaction carries (`app.token_hash`), read in the same statement as the key row, so
 *   the per-plan request limit costs no extra round trip. Without the key's hash it answers nothing.
 *   PL/pgSQL, so its statement is planned once per connection, not on every request.
 */
export class BillingUsage1763900710000 implements MigrationInterface {
  name = 'BillingUsage1763900710000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_prompt_count() RETURNS bigint
        LANGUAGE sql STABLE SET app.system = 'on'
        AS $$ SELECT count(*) FROM prompts WHERE organization_id = app_org_id() $$;
      GRANT EXECUTE ON FUNCTION app_prompt_count() TO vault_app;

      CREATE FUNCTION app_owned_organizations_billing()
        RETURNS TABLE (organization_id uuid, plan text, status text, current_period_end timestamptz,
                       cancel_at_period_end boolean, past_due_since timestamptz, custom_limits jsonb)
        LANGUAGE sql STABLE SET app.system = 'on'
        AS $$ SELECT o.id, o.plan, b.status, b.current_period_end, b.cancel_at_period_end,
                     b.past_due_since, b.custom_limits
                FROM memberships m
                JOIN organizations o ON o.id = m.organization_id
                LEFT JOIN organization_billing b ON b.organization_id = o.id
               WHERE m.user_id = app_user_id() AND m.role = 'OWNER' $$;
      GRANT EXECUTE ON FUNCTION app_owned_organizations_billing() TO vault_app;

      CREATE FUNCTION app_api_key_billing(org uuid)
        RETURNS TABLE (plan text, status text, current_period_end timestamptz,
                       cancel_at_period_end boolean, past_due_since timestamptz, custom_limits jsonb)
        LANGUAGE plpgsql STABLE SET app.system = 'on'
        AS $$ BEGIN
          RETURN QUERY
            SELECT o.plan, b.status, b.current_period_end, b.cancel_at_period_end,
                   b.past_due_since, b.custom_limits
              FROM organizations o
              LEFT JOIN organization_billing b ON b.organization_id = o.id
             WHERE o.id = org
               AND EXISTS (SELECT 1 FROM api_keys k
                            WHERE k.organization_id = org AND k.key_hash = app_token_hash());
        END $$;
      GRANT EXECUTE ON FUNCTION app_api_key_billing(uuid) TO vault_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION app_api_key_billing(uuid);
      DROP FUNCTION app_owned_organizations_billing();
      DROP FUNCTION app_prompt_count();
    `);
  }
}
