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
 * A value the database cannot take (class 22) is a 400: validation refuses such input first, so
 * this is the net under what validation cannot see. Anything not listed stays a 500, so real
 * defects still show.
 */
export function translateDatabaseError(err: unknown): DomainException | undefined {
  switch (pgError(err)?.code) {
    case '23503':
      // "is still referenced" (a delete blocked by a dependant) is a conflict, not a vanished row.
      return /is not present in table/.test(pgError(err)?.detail ?? '')
        ? new AppException('not_found', 'Something this request refers to no longer exists')
        : new AppException('conflict', 'Other records still refer to this one');
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
      return new AppException('conflict', 'A concurrent change got in the way; retry the request');
    default:
      return undefined;
  }
}
