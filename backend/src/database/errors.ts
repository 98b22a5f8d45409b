import { QueryFailedError } from 'typeorm';

/** A unique-constraint violation (23505), optionally of one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e =
    err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : undefined;
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}
