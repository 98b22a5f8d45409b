import { createHash } from 'node:crypto';
import { escapeLiteral } from 'pg';
import type { EntityManager } from 'typeorm';

/*
 * Prepared statements on a pooled connection: protocol-level (`preparedQuery`, named by the SQL's
 * hash) and SQL-level (`PREPARE` once per connection, then `EXECUTE` with inlined literals, so a
 * read can share one simple-protocol message with BEGIN, the scope or COMMIT). Used by
 * `TenantTransactions`; nothing here knows about tenants.
 */

export type SimpleResult = { rows: unknown[] };

/** The node-postgres client under a TypeORM query runner, as far as these statements use it. */
export interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  query(text: string): Promise<SimpleResult | SimpleResult[]>;
}

/** Ids, hashes and flags: nothing a literal needs escaping for (anything else takes the slow path). */
export const LITERAL_SAFE = /^[0-9A-Za-z_-]*$/;

const statementNames = new Map<string, string>();
/** A stable name per SQL text (the same on every connection); pg parses it once per connection. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `pv_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * Runs `sql` on the EntityManager's connection as a named prepared statement. PostgreSQL then
 * parses and plans it once per connection (plans of the same role are reused; RLS is part of the
 * plan and replanned if the role changes) instead of on every call. On the tenant tables the
 * row-level-security policies make planning cost several times the execution of a key lookup, so
 * hot reads should come through here. Outside a transaction it falls back to a plain query.
 */
export async function preparedQuery<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = em.queryRunner;
  if (!runner || runner.isReleased) return em.query<T[]>(sql, params);
  const client = (await runner.connect()) as PgClient;
  const result = await client.query({ name: statementName(sql), text: sql, values: params });
  return result.rows as T[];
}

/** A parameter as an SQL literal, if it is one `LITERAL_SAFE` allows (numbers and ids); else null. */
function literal(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  return typeof text === 'string' && LITERAL_SAFE.test(text) ? `'${text}'` : null;
}

/** The SQL-level prepared statements (`PREPARE`) each pooled connection holds. */
const sqlPrepared = new WeakMap<PgClient, Set<string>>();

/**
 * A parameter as an escaped SQL literal (`pg`'s `escapeLiteral`, correct with
 * standard_conforming_strings, PostgreSQL's default): strings, finite numbers, booleans, dates
 * (ISO text) and null. Null for what has no safe literal (a NUL character, which a simple-protocol
 * message cannot carry; objects, arrays, buffers), so the caller takes the parameterized path.
 */
export function escapedLiteral(value: unknown): string | null {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? `'${value}'` : null;
  if (typeof value === 'boolean') return value ? "'t'" : "'f'";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : `'${value.toISOString()}'`;
  if (typeof value === 'string') return value.includes('\0') ? null : escapeLiteral(value);
  return null;
}

/**
 * `EXECUTE` of `sql` on `client` with its parameters as literals made by `toLiteral`, preparing it
 * there first if needed (one SQL-level name per statement text, per connection); null when a
 * parameter has no literal (the caller takes the parameterized path).
 */
async function executePrepared(
  client: PgClient,
  sql: string,
  params: unknown[],
  toLiteral: (value: unknown) => string | null,
): Promise<string | null> {
  const literals = params.map(toLiteral);
  if (literals.includes(null)) return null;
  // Not pg's own `pv_` names (protocol-level statements share the namespace).
  const name = `pvx_${statementName(sql).slice(3)}`;
  let names = sqlPrepared.get(client);
  if (!names) sqlPrepared.set(client, (names = new Set()));
  if (!names.has(name)) {
    await client.query(`PREPARE ${name} AS ${sql}`);
    names.add(name);
  }
  return literals.length ? `EXECUTE ${name}(${literals.join(', ')})` : `EXECUTE ${name}`;
}

/** `EXECUTE` of `read` with ids and numbers inlined (`literal`); null if not inlinable. */
export const executeSql = (client: PgClient, read: { sql: string; params: unknown[] }) =>
  executePrepared(client, read.sql, read.params, literal);

/** `EXECUTE` of `sql` with every parameter as an escaped literal (`escapedLiteral`); null if one has none. */
export const executeEscapedSql = (client: PgClient, sql: string, params: unknown[]) =>
  executePrepared(client, sql, params, escapedLiteral);
