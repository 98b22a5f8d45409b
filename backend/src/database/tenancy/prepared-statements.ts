import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/*
 * Prepared statements on a pooled connection: one at a time (`preparedQuery`, pg's named queries)
 * or several in one round trip (`pipeline`, with BEGIN or COMMIT around them). Used by
 * `TenantTransactions`; nothing here knows about tenants.
 */

export type SimpleResult = { rows: unknown[] };

/** The node-postgres client under a TypeORM query runner, as far as these statements use it. */
export interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  query(text: string): Promise<SimpleResult | SimpleResult[]>;
}

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

/** The SQL-level prepared statements (`PREPARE`) each pooled connection holds. */
const sqlPrepared = new WeakMap<PgClient, Set<string>>();

const pipelineNames = new Map<string, string>();
/**
 * The name under which `sql` is prepared on `client` for `pipeline`; the first time on this
 * connection it must be `PREPARE`d first (`toPrepare` collects those).
 * Not pg's own `pv_` names (protocol-level statements share the namespace).
 */
function pipelineName(client: PgClient, sql: string, toPrepare: Map<string, string>): string {
  let name = pipelineNames.get(sql);
  if (!name) pipelineNames.set(sql, (name = `pvx_${statementName(sql).slice(3)}`));
  let names = sqlPrepared.get(client);
  if (!names) sqlPrepared.set(client, (names = new Set()));
  if (!names.has(name)) toPrepare.set(name, sql);
  return name;
}

/** PostgreSQL's duplicate_prepared_statement. */
const ALREADY_PREPARED = '42P05';

/**
 * `PREPARE`s the statements in one message and records them for the connection. A message stops
 * at its first error, with the statements before it prepared: then each is prepared on its own,
 * so the connection's record stays true and the error is the failing statement's.
 */
async function prepare(client: PgClient, statements: Map<string, string>): Promise<void> {
  const names = sqlPrepared.get(client)!;
  const one = (name: string, sql: string) => `PREPARE ${name} AS ${sql}`;
  try {
    await client.query([...statements].map(([name, sql]) => one(name, sql)).join('; '));
    for (const name of statements.keys()) names.add(name);
  } catch {
    for (const [name, sql] of statements) {
      await client.query(one(name, sql)).catch((err: { code?: string }) => {
        if (err.code !== ALREADY_PREPARED) throw err;
      });
      names.add(name);
    }
  }
}

/** A step of a pipeline: a statement with its parameters, or a transaction command. */
export type PipelineStep = { sql: string; params: unknown[] } | 'BEGIN' | 'COMMIT';

/** pg's protocol writer under a client, as far as a pipeline uses it. */
interface PgConnection {
  stream: { cork?(): void; uncork?(): void };
  parse(query: { text: string }): void;
  bind(config: { statement?: string; values?: unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(config: { portal: string }): void;
  sync(): void;
}

/** pg's result builder (`pg.Result`): parses the rows of one statement like any pg query. */
interface PgResult extends SimpleResult {
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): unknown;
  addRow(row: unknown): void;
  addCommandComplete(message: unknown): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Result } = require('pg') as { Result: new () => PgResult };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

/**
 * A pg "submittable" that writes several statements and ONE Sync in a single socket write, and
 * collects one result per statement: BEGIN/COMMIT as unnamed statements, the others as Bind +
 * Execute of statements already prepared on the connection. PostgreSQL runs them in order and, at
 * the first error, skips the rest up to the Sync (inside a transaction, the transaction is then
 * aborted; the caller rolls it back).
 */
class Pipeline {
  readonly results: PgResult[] = [];
  private current = new Result();
  private failed = false;
  /** Set by the constructor; pg's client may wrap it (query_timeout). */
  callback: (err: Error | null, results?: PgResult[]) => void;
  readonly done: Promise<PgResult[]>;

  constructor(private readonly steps: Array<{ name: string; values: unknown[] } | 'BEGIN' | 'COMMIT'>) {
    let settle!: (err: Error | null, results?: PgResult[]) => void;
    this.done = new Promise((resolve, reject) => {
      settle = (err, results) => (err ? reject(err) : resolve(results!));
    });
    this.callback = settle;
  }

  submit(connection: PgConnection): null {
    connection.stream.cork?.();
    try {
      for (const step of this.steps) {
        if (typeof step === 'string') {
          connection.parse({ text: step });
          connection.bind({});
        } else {
          connection.bind({ statement: step.name, values: step.values });
          connection.describe({ type: 'P', name: '' });
        }
        connection.execute({ portal: '' });
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.current.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    if (this.failed) return;
    try {
      this.current.addRow(this.current.parseRow(message.fields));
    } catch (err) {
      this.handleError(err as Error);
    }
  }

  handleCommandComplete(message: unknown): void {
    this.current.addCommandComplete(message);
    this.results.push(this.current);
    this.current = new Result();
  }

  handleEmptyQuery(): void {
    this.results.push(this.current);
    this.current = new Result();
  }

  /** The first error settles the pipeline (pg's own queries do the same); the rest are ignored. */
  handleError(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.callback(err);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.callback(null, this.results);
  }

  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}

/**
 * Runs `steps` on `client` in one round trip (the extended protocol, one Sync): every statement
 * as a named prepared statement (prepared once per connection: the first time, all the missing
 * ones in one `PREPARE` message before), its parameters bound as values, not inlined. Answers one
 * result per step. PostgreSQL then neither parses nor plans them again (plans of the same role
 * are reused; RLS is part of the plan), which on the tenant tables costs several times the
 * execution of a key lookup, and a request's opening (BEGIN, the scope, the admission's reads)
 * or its last read with COMMIT costs one socket write and one read.
 */
export async function pipeline(client: PgClient, steps: PipelineStep[]): Promise<SimpleResult[]> {
  const toPrepare = new Map<string, string>();
  // Parameters through pg's own conversion (dates, arrays, JSON) before anything is written: a
  // value it refuses then fails this call, not the connection's protocol state.
  const named = steps.map((step) =>
    typeof step === 'string'
      ? step
      : { name: pipelineName(client, step.sql, toPrepare), values: step.params.map((v) => prepareValue(v)) },
  );
  if (toPrepare.size) await prepare(client, toPrepare);
  const query = new Pipeline(named);
  (client as unknown as { query(submittable: Pipeline): unknown }).query(query);
  return query.done;
}
