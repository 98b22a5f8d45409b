/**
 * The rows of an `UPDATE`/`DELETE … RETURNING` sent through `EntityManager.query`: TypeORM's
 * PostgreSQL driver answers those as `[rows, count]`, a `SELECT` or `INSERT … RETURNING` as the rows.
 */
export const returned = <T>(result: unknown): T[] =>
  (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
