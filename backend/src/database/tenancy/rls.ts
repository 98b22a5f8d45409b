/**
 * The pattern every tenant table follows, in the migration that creates it: row-level security
 * enabled and forced (the owner is bound too), one policy comparing `organization_id` with the
 * transaction's `app.org_id`, and only the grants the runtime role needs.
 *
 * `alsoVisibleWhen` widens the policy for a specific, deliberate case (e.g. a row found by the hash
 * of a secret the caller holds); it applies to reads and writes alike.
 */
export function tenantTableSql(
  table: string,
  options: { grants: string; alsoVisibleWhen?: string; alsoWritableWhen?: string },
): string {
  const visible = `organization_id = app_org_id()${options.alsoVisibleWhen ? ` OR ${options.alsoVisibleWhen}` : ''}`;
  const writable = `organization_id = app_org_id()${options.alsoWritableWhen ? ` OR ${options.alsoWritableWhen}` : ''}`;
  return `
    GRANT ${options.grants} ON ${table} TO vault_app;
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY ${table}_tenant ON ${table} USING (${visible}) WITH CHECK (${writable});
  `;
}
