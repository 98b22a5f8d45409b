import { Injectable, Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { databaseUnavailable, isDatabaseUnavailable } from '../errors';
import {
  escapedLiteral,
  executeEscapedSql,
  executeSql,
  LITERAL_SAFE,
  PgClient,
  preparedQuery,
  SimpleResult,
} from './prepared-statements';
import { SET_SCOPE } from './scope.sql';

export { preparedQuery };

type AfterCommitHook = () => Promise<void> | void;
/** CLS keys private to this class: the open transaction's EntityManager and its after-commit hooks. */
const TX = 'pv.tx';
const AFTER_COMMIT = 'pv.afterCommit';
const SCOPE = 'pv.scope';
const STATE = 'pv.txState';

/** The open transaction's connection, and whether a final read already committed it. */
interface TxState {
  runner: RunnerState;
  client: PgClient;
  committed: boolean;
}

const scopeParams = (scope: TenantScope) => [
  scope.organizationId ?? '',
  scope.userId ?? '',
  scope.system ? 'on' : '',
  scope.tokenHash ?? '',
];

/**
 * The scope as a simple-protocol statement, so that BEGIN (and a first read) can share its round
 * trip: a socket write to PostgreSQL costs more of the API's CPU than most of its own code. The
 * values are inlined, so only when every one is made of id/hash characters; `null` otherwise, and
 * the parameterized SET_SCOPE runs instead.
 */
function scopeSql(scope: TenantScope): string | null {
  const values = scopeParams(scope);
  if (!values.every((v) => LITERAL_SAFE.test(v))) return null;
  const [org, user, system, token] = values;
  return `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', '${org}', true),
    set_config('app.user_id', '${user}', true), set_config('app.system', '${system}', true),
    set_config('app.token_hash', '${token}', true)`;
}

/**
 * Sets `scope` on the connection — after BEGIN in the same message when `begin` — and reads `read`
 * in that scope, all in one round trip when the values can be inlined; answers the read's rows
 * (and, for a read with `then`, the rows read after the move when the move happened).
 * A first-time PREPARE of a read goes before (outside the transaction when `begin`).
 */
async function applyScope(
  em: EntityManager,
  client: PgClient,
  scope: TenantScope,
  read: OpeningRead | undefined,
  begin: boolean,
): Promise<Opened | undefined> {
  const set = scopeSql(scope);
  const execute = set && read ? await executeSql(client, read) : null;
  const prefix = begin ? 'BEGIN; ' : '';
  if (set && execute) {
    const move = read!.then ? await executeSql(client, read!.then.move) : null;
    const then = move ? await executeSql(client, read!.then!.read) : null;
    const message = then ? `${prefix}${set}; ${execute}; ${move}; ${then}` : `${prefix}${set}; ${execute}`;
    const results = (await client.query(message)) as SimpleResult[];
    if (!then) return { rows: results[results.length - 1].rows };
    const [rows, moved, after] = results.slice(-3);
    return { rows: rows.rows, next: moved.rows.length === 1 ? after.rows : undefined };
  }
  if (set) await client.query(`${prefix}${set}`);
  else {
    if (begin) await client.query('BEGIN');
    await preparedQuery(em, SET_SCOPE, scopeParams(scope));
  }
  return read ? { rows: await preparedQuery(em, read.sql, read.params) } : undefined;
}

/**
 * A first read of the transaction (e.g. the caller's membership) sent in the same round trip as
 * BEGIN and the scope, so it runs under row-level security in that scope. It goes as `EXECUTE` of
 * a statement prepared once per connection (its plan is cached like the other prepared reads:
 * planning these RLS reads costs PostgreSQL several times their execution), with its parameters
 * inlined as literals, so they must be ids (`LITERAL_SAFE`); otherwise it runs as a prepared
 * statement after the opening.
 */
export interface OpeningRead {
  sql: string;
  params: string[];
  /**
   * Only for the opening of a transaction: once `sql` has run, `move` (a statement with id
   * parameters, sent as `EXECUTE` like `sql`) moves the scope — it answers one row when it did,
   * none when it did not — and `read` runs in the scope it moved to, all in the same message. E.g.
   * from "whoever holds this API key" to the key's organization and user, with the membership:
   * one round trip instead of two. Whoever sends it records the new scope (`adoptScope`) once it
   * has checked what was read; when the message could not carry it, `Opened.next` is undefined
   * and the caller takes the separate `rescope`.
   */
  then?: { move: { sql: string; params: string[] }; read: { sql: string; params: string[] } };
}

/** The rows of an opening read and, when its `then.move` moved the scope, of `then.read`. */
export interface Opened {
  rows: unknown[];
  next?: unknown[];
}

export interface TenantScope {
  /** null only for work that belongs to no organization yet (e.g. reading one's own memberships). */
  organizationId: string | null;
  userId: string | null;
  /** Cross-organization system work (sweepers); only policies that allow `app_is_system()` open up. */
  system?: boolean;
  /** sha256 of a secret the caller presented (invite token, API key): admits that one row. */
  tokenHash?: string;
}

/** TypeORM's runner state that `run` keeps in step when it drives the transaction itself. */
type RunnerState = { -readonly [K in keyof QueryRunner]: QueryRunner[K] } & { transactionDepth: number };

/**
 * Runs work in one transaction as the `vault_app` role with `app.org_id` / `app.user_id` set, so
 * row-level security decides what the statements can see. The first statement sets all three with
 * parameters and `is_local = true`: nothing leaks to the next user of the pooled connection.
 */
@Injectable()
export class TenantTransactions {
  private readonly logger = new Logger(TenantTransactions.name);

  constructor(
    private readonly dataSource: DataSource,
    // Untyped on purpose: the typed store's key inference recurses into EntityManager's type.
    private readonly cls: ClsService,
  ) {}

  /**
   * `work` runs in the transaction; with an `opening` read, its rows come as `work`'s second
   * argument (undefined without one), read in the transaction's first round trip.
   */
  async run<T>(
    scope: TenantScope,
    work: (em: EntityManager, opened?: Opened) => Promise<T>,
    opening?: OpeningRead,
  ): Promise<T> {
    const afterCommit: AfterCommitHook[] = [];
    let result: T;
    try {
      result = await this.cls.run({ ifNested: 'inherit' }, () =>
        this.transaction(scope, afterCommit, work, opening),
      );
    } catch (err) {
      // The server is down, restarting or unreachable: a 503 with Retry-After, not a 500. The
      // pool drops the dead connections and opens new ones once the server is back.
      if (isDatabaseUnavailable(err)) throw Object.assign(databaseUnavailable(), { cause: err });
      throw err;
    }
    for (const fn of afterCommit) {
      try {
        await fn();
      } catch (err) {
        // The change is committed; after-commit work is only a nudge (e.g. enqueue a drain job)
        // whose failure a sweeper repairs, so it must not turn a success into an error.
        this.logger.warn({ err }, 'after-commit hook failed');
      }
    }
    return result;
  }

  /**
   * What `DataSource.transaction` does, on the connection's own client: BEGIN with the scope in
   * one round trip (`applyScope`), COMMIT, or ROLLBACK on any error, and the runner's flags kept
   * as TypeORM keeps them, so repositories and savepoints on `em` behave as in any transaction.
   */
  private async transaction<T>(
    scope: TenantScope,
    afterCommit: AfterCommitHook[],
    work: (em: EntityManager, opened?: Opened) => Promise<T>,
    opening: OpeningRead | undefined,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner() as RunnerState;
    let client: PgClient | undefined;
    try {
      client = (await runner.connect()) as PgClient;
      runner.isTransactionActive = true;
      runner.transactionDepth = 1;
      const opened = await applyScope(runner.manager, client, scope, opening, true);
      const state: TxState = { runner, client, committed: false };
      this.cls.set(TX, runner.manager);
      this.cls.set(SCOPE, scope);
      this.cls.set(AFTER_COMMIT, afterCommit);
      this.cls.set(STATE, state);
      const result = await work(runner.manager, opened);
      if (!state.committed) await client.query('COMMIT');
      runner.isTransactionActive = false;
      runner.transactionDepth = 0;
      return result;
    } catch (err) {
      if (client && runner.isTransactionActive && !runner.isReleased) {
        runner.isTransactionActive = false;
        runner.transactionDepth = 0;
        // The error that matters is the first one; a failed ROLLBACK means the connection is gone.
        await client.query('ROLLBACK').catch(() => undefined);
      }
      throw err;
    } finally {
      await runner.release();
    }
  }

  /** The EntityManager of the current tenant transaction; refusing to run without one is the point. */
  get manager(): EntityManager {
    const em = this.cls.isActive() ? this.cls.get<EntityManager | undefined>(TX) : undefined;
    if (!em) throw new Error('No tenant transaction is active: wrap this work in TenantTransactions.run()');
    return em;
  }

  /** The organization and user the current tenant transaction runs for. */
  get scope(): TenantScope {
    const scope = this.cls.isActive() ? this.cls.get<TenantScope | undefined>(SCOPE) : undefined;
    if (!scope)
      throw new Error('No tenant transaction is active: wrap this work in TenantTransactions.run()');
    return scope;
  }

  get active(): boolean {
    return this.cls.isActive() && !!this.cls.get(TX);
  }

  /** A read in the current tenant transaction as a prepared statement (see `preparedQuery`). */
  prepared<T>(sql: string, params: unknown[]): Promise<T[]> {
    return preparedQuery<T>(this.manager, sql, params);
  }

  /**
   * The transaction's last statement, a read, sent together with COMMIT in one round trip (as
   * `EXECUTE` of a statement prepared once per connection, like the opening read): for a request
   * that only reads, the COMMIT's own round trip is a fifth of its statements. The transaction is
   * then over and its connection back in the pool, so any later statement of this transaction
   * fails (TypeORM's `QueryRunnerProviderAlreadyReleasedError`) instead of running outside the scope:
   * call it only where nothing follows (the read of a GET handler). When the parameters cannot be
   * inlined (`LITERAL_SAFE`: ids and numbers) or a savepoint is open, it is an ordinary prepared
   * read and the transaction commits as usual.
   */
  finalRead<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.readAndCommit<T>(sql, params, (client) => executeSql(client, { sql, params }));
  }

  /**
   * `finalRead` for a read whose parameters are not all ids and numbers (text, dates, nulls): they
   * go as escaped SQL literals (`escapedLiteral`), so the read still travels with the COMMIT in one
   * round trip. Same rules: the transaction is over afterwards, call it only for the handler's last
   * statement; a parameter without a literal (NUL, objects) or an open savepoint takes the
   * ordinary prepared path and the usual COMMIT.
   */
  finalReadOf<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.readAndCommit<T>(sql, params, (client) => executeEscapedSql(client, sql, params));
  }

  /**
   * `finalRead`/`finalReadOf`: `execute` makes the `EXECUTE` text on the transaction's connection
   * (null: the parameters cannot be inlined), sent with COMMIT; otherwise the prepared read.
   */
  private async readAndCommit<T>(
    sql: string,
    params: unknown[],
    execute: (client: PgClient) => Promise<string | null>,
  ): Promise<T[]> {
    const em = this.manager;
    const state = this.cls.get<TxState | undefined>(STATE);
    if (!state || state.committed || state.runner.manager !== em || state.runner.transactionDepth !== 1)
      return preparedQuery<T>(em, sql, params);
    const statement = await execute(state.client);
    if (!statement) return preparedQuery<T>(em, sql, params);
    const [read] = (await state.client.query(`${statement}; COMMIT`)) as SimpleResult[];
    state.committed = true;
    state.runner.isTransactionActive = false;
    state.runner.transactionDepth = 0;
    await state.runner.release();
    return read.rows as T[];
  }

  /**
   * One statement (a write, typically with RETURNING) as a tenant transaction of its own in one
   * round trip: BEGIN, the scope, `EXECUTE` of the statement (prepared once per connection, its
   * parameters as escaped literals) and COMMIT in one simple-protocol message, where `run` with one
   * prepared statement costs three round trips. Answers the statement's rows. If anything in the
   * message fails, the transaction is rolled back and the error thrown (a lost connection as
   * `run` maps it, 503). No after-commit hooks. When the scope or a parameter cannot be inlined,
   * it is `run` with the prepared statement, with the same result.
   */
  async runStatement<T>(scope: TenantScope, sql: string, params: unknown[]): Promise<T[]> {
    const set = scopeSql(scope);
    if (!set || !params.every((p) => escapedLiteral(p) !== null))
      return this.run(scope, (em) => preparedQuery<T>(em, sql, params));
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PgClient;
      const execute = (await executeEscapedSql(client, sql, params))!;
      try {
        const results = (await client.query(`BEGIN; ${set}; ${execute}; COMMIT`)) as SimpleResult[];
        return results[results.length - 2].rows as T[];
      } catch (err) {
        // The message stops at its first error, inside the transaction BEGIN opened: end it.
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw Object.assign(databaseUnavailable(), { cause: err });
      throw err;
    } finally {
      await runner.release();
    }
  }

  /**
   * Moves the current transaction to another scope, e.g. from "whoever holds this API key" to the
   * key's organization and user once the key row was read. Same statement as the first one, so the
   * settings stay transaction-local.
   */
  async rescope(scope: TenantScope): Promise<void>;
  /** The same, with a read in the new scope sent in the same round trip; answers its rows. */
  async rescope(scope: TenantScope, read: OpeningRead): Promise<unknown[]>;
  async rescope(scope: TenantScope, read?: OpeningRead): Promise<unknown[] | void> {
    const em = this.manager;
    const client = (await em.queryRunner!.connect()) as PgClient;
    const opened = await applyScope(em, client, scope, read, false);
    this.cls.set(SCOPE, scope);
    return opened?.rows;
  }

  /**
   * Records `scope` as the current transaction's after its opening read's `then.move` moved the
   * connection there (`Opened.next` set): the caller has checked that it is the scope the move
   * set. No round trip.
   */
  adoptScope(scope: TenantScope): void {
    if (!this.active) throw new Error('adoptScope() needs an active tenant transaction');
    this.cls.set(SCOPE, scope);
  }

  /** Queue work for after the current tenant transaction commits; dropped if it rolls back. */
  afterCommit(fn: () => Promise<void> | void): void {
    const hooks = this.cls.isActive() ? this.cls.get<AfterCommitHook[] | undefined>(AFTER_COMMIT) : undefined;
    if (!hooks) throw new Error('afterCommit() needs an active tenant transaction');
    hooks.push(fn);
  }
}
