import { QueryFailedError } from 'typeorm';
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

/** A unique-constraint violation (23505), optionally of one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}

/**
 * The database errors that mean "the world changed under this request", not "the server is
 * broken", as the answer the client would have had a moment later: a row this request refers to
 * was deleted meanwhile (a foreign key, 23503: e.g. a search recorded while its organization is
 * deleted) is a 404; losing a serialization race or a deadlock (40001, 40P01) is a 409 to retry.
 * Services that expect one of these handle it themselves; this is the net under everything else.
 * Anything not listed stays a 500, so real defects still show.
 */
export function translateDatabaseError(err: unknown): DomainException | undefined {
  switch (pgError(err)?.code) {
    case '23503':
      // "is still referenced" (a delete blocked by a dependant) is a conflict, not a vanished row.
      return /is not present in table/.test(pgError(err)?.detail ?? '')
        ? new AppException('not_found', 'Something this request refers to no longer exists')
        : new AppException('conflict', 'Other records still refer to this one');
    case '40001':
    case '40P01':
      return new AppException('conflict', 'A concurrent change got in the way; retry the request');
    default:
      return undefined;
  }
}
