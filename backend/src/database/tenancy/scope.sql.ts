/**
 * The statement that scopes a tenant transaction (TenantTransactions), kept free of Nest and
 * TypeORM imports so that the benchmark's floor server (`scripts/bench/floor-server.mjs`) runs
 * exactly this text from the build instead of a copy.
 */

/** The first statement of every tenant transaction (and of a rescope): parameters, transaction-local. */
export const SET_SCOPE = `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true),
                          set_config('app.user_id', $2, true), set_config('app.system', $3, true),
                          set_config('app.token_hash', $4, true)`;
