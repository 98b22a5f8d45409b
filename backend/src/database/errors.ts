import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { AppException, DomainException } from '../common/errors/domain.exception';

interface PgError {
  code?: string;
  constraint?: string;
  severity?: string;
  detail?: string;
}

/** The PostgreSQL error behind a failed query (TypeORM wraps it; a failed COMMIT arrives bare). */
function pgError(err: unknown): PgError | undefined {
  if (err instanceof QueryFailedError) return err.driverError as PgError;
  const e = err as PgError | null;
  return err instanceof Error && typeof e?.code === 'string' && typeof e.severity === 'string'
    ? e
    : undefined;
}

/** Seconds a client is told to wait (`Retry-After`) when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** The 503 every request gets while the database is unreachable or restarting. */
export function databaseUnavailable(): AppException {
  return new AppException(
    'unavailable',
    'The database is unavailable at the moment (restarting or unreachable); retry shortly',
    { headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) } },
  );
}

/**
 * PostgreSQL's own answers that mean "not now" rather than "never": connection exceptions
 * (class 08), the server shutting down or crashing under the session (57P01 admin_shutdown,
 * 57P02 crash_shutdown), starting up or in recovery (57P03 cannot_connect_now), and no free
 * connection slot (53300 too_many_connections).
 */
function isServerUnavailable(code: string | undefined): boolean {
  return !!code && (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code));
}

/** Socket errors of a connection to the database server. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * Whether an error thrown by a statement or by taking a pooled connection means the database is
 * unreachable (down, restarting, the network dropped) rather than a defect: PostgreSQL's codes
 * above, socket errors of the connection, node-postgres' "Connection terminated …" and the pool's
 * "timeout exceeded when trying to connect", and TypeORM refusing a query runner whose connection
 * died under it. Only call this on errors of database work (TenantTransactions does): a socket
 * error of another dependency would read the same.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (isServerUnavailable(pgError(err)?.code)) return true;
  // TypeORM releases a query runner whose connection failed; the transaction's next statement
  // (or its COMMIT) then meets one of these.
  if (
    err instanceof QueryRunnerProviderAlreadyReleasedError ||
    err instanceof QueryRunnerAlreadyReleasedError
  )
    return true;
  // Duck-typed, not `instanceof Error`: socket errors come from Node's core, whose Error is
  // another realm's under a test runner's VM context.
  const cause = (err instanceof QueryFailedError ? err.driverError : err) as {
    code?: unknown;
    message?: unknown;
  } | null;
  if (typeof cause !== 'object' || cause === null) return false;
  const { code, message } = cause;
  if (typeof code === 'string' && (SOCKET_ERRORS.has(code) || isServerUnavailable(code))) return true;
  return (
    typeof message === 'string' &&
    /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/.test(
      message,
    )
  );
}

/** A unique-constraint violation (23505), optionally of one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}

/**
 * The database errors that mean "the world changed under this request", not "the server is
 * broken", as the answer the client would have had a moment later: a row this request refers to
 * was deleted meanwhile (a foreign key, 23503: e.g. a search recorded while its organization is
 * deleted) is a 404; a delete that dependants block is 409 `still_referenced`; losing a
 * serialization race or a deadlock (40001, 40P01) is 409 `concurrent_change`, to retry.
 * Services that expect one of these handle it themselves; this is the net under everything else.
 * A value the database cannot take (class 22) is a 400: validation refuses such input first, so
 * this is the net under what validation cannot see. PostgreSQL saying it cannot serve now
 * (shutting down, starting up, out of connections) is a 503 with `Retry-After`; socket errors are
 * mapped where database work runs (TenantTransactions.run, see isDatabaseUnavailable), not here,
 * as any dependency's socket error looks the same. Anything not listed stays a 500, so real
 * defects still show.
 */
export function translateDatabaseError(err: unknown): DomainException | undefined {
  switch (pgError(err)?.code) {
    case '23503':
      // "is still referenced" (a delete blocked by a dependant) is a conflict, not a vanished row.
      return /is not present in table/.test(pgError(err)?.detail ?? '')
        ? new AppException('not_found', 'Something this request refers to no longer exists')
        : new AppException('still_referenced', 'Other records still refer to this one');
    // Data exceptions: a value from the request that passed validation but that the column type
    // cannot take. What reaches this far is a forged list cursor (opaque to clients, so its
    // fields are checked only for shape: an id of 36 dashes, a 99th month, a version beyond int4).
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22003': // numeric_value_out_of_range
    case '22021': // character_not_in_repertoire (NUL)
      return new AppException('validation_failed', 'A value in the request is not valid for its field', {
        errors: [{ field: 'request', message: 'a value (e.g. the cursor) is out of range for its field' }],
      });
    case '40001':
    case '40P01':
      return new AppException('concurrent_change', 'A concurrent change got in the way; retry the request');
    default:
      // The server said it cannot serve now (shutting down, starting up, out of connections).
      return isServerUnavailable(pgError(err)?.code) ? databaseUnavailable() : undefined;
  }
}
