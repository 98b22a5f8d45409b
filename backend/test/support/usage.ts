import type { Pool } from 'pg';
import { INSERT_USAGE_SQL } from '../../src/modules/analytics/usage.sql';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const monthStart = (d: Date, n = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
export const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** Inserts usage events with the ingestion's statement, as the runtime role of `organizationId`. */
export async function ingestUsage(owner: Pool, organizationId: string, events: object[]): Promise<void> {
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('role', 'vault_app', true), set_config('app.org_id', $1, true)`, [
      organizationId,
    ]);
    await client.query(INSERT_USAGE_SQL, [JSON.stringify(events)]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
