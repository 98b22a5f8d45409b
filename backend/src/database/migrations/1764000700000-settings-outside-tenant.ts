import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organization settings read outside one organization's scope (docs/administration.md).
 *
 * SSO-first sign-in (`GET /auth/sso/discover`, docs/administration.md#sso-first-sign-in). The
 * public discovery route knows only an e-mail domain. As for `app.sso_slug`, there is no
 * privileged lookup: the transaction names the domain in `app.sso_domain`, and two read-only
 * policies admit exactly the settings of organizations that list that domain among their allowed
 * e-mail domains (and, for the IdP settings, require SSO with it turned on). The organization row
 * itself is then read in that organization's own tenant scope.
 *
 * Session lifetime: refreshing a session runs for its user without an organization, and must see
 * the `session_ttl_minutes` of every organization the user belongs to: the read-only policy
 * `organization_settings_member_read` (migration 1764000000000) admits the settings rows of the
 * organizations where `app.user_id` is a member.
 */
export class SettingsOutsideTenant1764000700000 implements MigrationInterface {
  name = 'SettingsOutsideTenant1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_sso_domain() RETURNS text LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.sso_domain', true), '') $$;
      CREATE POLICY organization_settings_sso_domain ON organization_settings FOR SELECT
        USING (app_sso_domain() IS NOT NULL AND app_sso_domain() = ANY (allowed_email_domains));
      CREATE POLICY sso_settings_sso_domain ON sso_settings FOR SELECT
        USING (app_sso_domain() IS NOT NULL AND enabled AND sso_required AND EXISTS (
          SELECT 1 FROM organization_settings s
           WHERE s.organization_id = sso_settings.organization_id
             AND app_sso_domain() = ANY (s.allowed_email_domains)));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY sso_settings_sso_domain ON sso_settings;
      DROP POLICY organization_settings_sso_domain ON organization_settings;
      DROP FUNCTION app_sso_domain();
    `);
  }
}
