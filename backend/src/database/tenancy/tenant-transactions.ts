import { Injectable, Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { databaseUnavailable, isDatabaseUnavailable } from '../errors';
import { PgClient, pipeline, PipelineStep, preparedQuery } from './prepared-statements';
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
 * Sets `scope` on the connection — after BEGIN when `begin` — and reads `read` in that scope, in
 * one round trip (`pipeline`: prepared statements, parameters bound); answers the read's rows
 * (and, for a read with `then`, the rows read after the move when the move happened).
 */
async function applyScope(
  client: PgClient,
  scope: TenantScope,
  read: OpeningRead | undefined,
  begin: boolean,
): Promise<Opened | undefined> {
  const steps: PipelineStep[] = begin ? ['BEGIN'] : [];
  steps.push({ sql: SET_SCOPE, params: scopeParams(scope) });
  if (read) steps.push(read);
  if (read?.then) steps.push(read.then.move, read.then.read);
  const results = await pipeline(client, steps);
  if (!read) return undefined;
  if (!read.then) return { rows: results[results.length - 1].rows };
  const [rows, moved, after] = results.slice(-3);
  return { rows: rows.rows, next: moved.rows.length === 1 ? after.rows : undefined };
}

/**
 * A first read of the transaction (e.g. the caller's membership) sent in the same round trip as
 * BEGIN and the scope, so it runs under row-level security in that scope. It goes as a statement
 * prepared once per connection (its plan is cached like the other prepared reads: planning these
 * RLS reads costs PostgreSQL several times their execution).
 */
export interface OpeningRead {
  sql: string;
  params: string[];
  /**
   * Only for the opening of a transaction: once `sql` has run, `move` (a statement, prepared like
   * `sql`) moves the scope — it answers one row when it did, none when it did not — and `read` runs
   * in the scope it moved to, all in the same round trip. E.g. from "whoever holds this API key" to
   * the key's organization and user, with the membership: one round trip instead of two. Whoever
   * sends it records the new scope (`adoptScope`) once it has checked what was read; when the move
   * did not happen, `Opened.next` is undefined and the caller takes the separate `rescope` if it
   * still wants to move.
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
      const opened = await applyScope(client, scope, opening, true);
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
   * The transaction's last statement, a read, sent together with COMMIT in one round trip
   * (`pipeline`, prepared once per connection like the opening read): for a request that only
   * reads, the COMMIT's own round trip is a fifth of its statements. The transaction is then over
   * and its connection back in the pool, so any later statement of this transaction fails
   * (TypeORM's `QueryRunnerProviderAlreadyReleasedError`) instead of running outside the scope:
   * call it only where nothing follows (the read of a GET handler). Inside a savepoint (or outside
   * the transaction's own connection) it is an ordinary prepared read and the transaction commits
   * as usual. If the read fails, the transaction is rolled back and the error thrown.
   */
  async finalRead<T>(sql: string, params: unknown[]): Promise<T[]> {
    const em = this.manager;
    const state = this.cls.get<TxState | undefined>(STATE);
    if (!state || state.committed || state.runner.manager !== em || state.runner.transactionDepth !== 1)
      return preparedQuery<T>(em, sql, params);
    const [read] = await pipeline(state.client, [{ sql, params }, 'COMMIT']);
    state.committed = true;
    state.runner.isTransactionActive = false;
    state.runner.transactionDepth = 0;
    await state.runner.release();
    return read.rows as T[];
  }

  /**
   * One statement (a write, typically with RETURNING) as a tenant transaction of its own in one
   * round trip: BEGIN, the scope, the statement (prepared once per connection, its parameters
   * bound) and COMMIT in one `pipeline`, where `run` with one prepared statement costs three round
   * trips. Answers the statement's rows. If anything in it fails, the transaction is rolled back
   * and the error thrown (a lost connection as `run` maps it, 503). No after-commit hooks.
   */
  async runStatement<T>(scope: TenantScope, sql: string, params: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PgClient;
      try {
        const results = await pipeline(client, [
          'BEGIN',
          { sql: SET_SCOPE, params: scopeParams(scope) },
          { sql, params },
          'COMMIT',
        ]);
        return results[2].rows as T[];
      } catch (err) {
        // The pipeline stops at its first error, inside the transaction BEGIN opened: end it.
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
    const opened = await applyScope(client, scope, read, false);
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
