/**
 * The admission's statements (AdmissionService), kept free of Nest and TypeORM imports so that the
 * benchmark's floor server (`scripts/bench/floor-server.mjs`) runs exactly these texts from the
 * build instead of a copy.
 */

/** An API key by the hash presented, with its user's e-mail and its organization's plan (`app_api_key_billing`). */
export const KEY_SQL = `SELECT k.id, k.organization_id, k.user_id, k.revoked_at, k.expires_at, k.last_used_at, u.email,
       b.plan, b.status, b.current_period_end, b.cancel_at_period_end, b.past_due_since, b.custom_limits
  FROM api_keys k LEFT JOIN users u ON u.id = k.user_id
  LEFT JOIN LATERAL app_api_key_billing(k.organization_id) b ON true
 WHERE k.key_hash = $1`;

/** The caller's role, with the organization settings that widen a role's rights (one round trip). */
export const MEMBERSHIP_SQL = `SELECT m.role, s.viewers_may_run, s.members_may_export
  FROM memberships m LEFT JOIN organization_settings s ON s.organization_id = m.organization_id
 WHERE m.organization_id = $1 AND m.user_id = $2`;

/** MEMBERSHIP_SQL for the transaction's own organization and user (read right after a scope move). */
export const SCOPE_MEMBERSHIP_SQL = `SELECT m.role, s.viewers_may_run, s.members_may_export
  FROM memberships m LEFT JOIN organization_settings s ON s.organization_id = m.organization_id
 WHERE m.organization_id = app_org_id() AND m.user_id = app_user_id()`;

/**
 * Moves the transaction from "whoever holds this key" to the key's organization and user, in the
 * statement that finds the key by its hash (`$1`), and only for a key that is neither revoked nor
 * expired; one row when it moved. The same settings `rescope` makes. Prepared once per connection,
 * like the reads around it: as a literal statement PostgreSQL planned it, row-level security
 * included, on every request.
 */
export const MOVE_TO_KEY_SQL = `SELECT set_config('app.org_id', k.organization_id::text, true),
       set_config('app.user_id', k.user_id::text, true), set_config('app.system', '', true),
       set_config('app.token_hash', '', true)
  FROM api_keys k
 WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`;
