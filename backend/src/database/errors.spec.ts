import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable, isUniqueViolation, translateDatabaseError } from './errors';

const failed = (code: string, extra: Record<string, string> = {}) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error('x'), { code, severity: 'ERROR', ...extra }));

describe('translateDatabaseError', () => {
  it('a foreign key to a row that vanished is a 404', () => {
    const e = translateDatabaseError(
      failed('23503', { detail: 'Key (organization_id)=(…) is not present in table "organizations".' }),
    );
    expect(e).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('a delete blocked by dependants is a 409, as are serialization failures and deadlocks', () => {
    expect(
      translateDatabaseError(failed('23503', { detail: 'Key (id)=(…) is still referenced from table "x".' })),
    ).toMatchObject({ status: 409, code: 'still_referenced' });
    expect(translateDatabaseError(failed('40001'))).toMatchObject({ status: 409, code: 'concurrent_change' });
    const bareCommitError = Object.assign(new Error('deadlock'), { code: '40P01', severity: 'ERROR' });
    expect(translateDatabaseError(bareCommitError)).toMatchObject({ status: 409, code: 'concurrent_change' });
  });

  it('a value the column type cannot take (a forged cursor) is a 400', () => {
    for (const code of ['22P02', '22007', '22008', '22003', '22021']) {
      expect(translateDatabaseError(failed(code))).toMatchObject({ status: 400, code: 'validation_failed' });
    }
  });

  it('PostgreSQL saying "not now" (shutting down, starting up, no slot, connection lost) is a 503 with Retry-After', () => {
    for (const code of ['57P01', '57P02', '57P03', '53300', '08006']) {
      const e = translateDatabaseError(failed(code));
      expect(e).toMatchObject({ status: 503, code: 'unavailable' });
      expect(e?.headers?.['Retry-After']).toMatch(/^\d+$/);
    }
  });

  it('leaves everything else alone, so real defects stay 500s', () => {
    expect(translateDatabaseError(failed('42P01'))).toBeUndefined();
    expect(translateDatabaseError(new Error('boom'))).toBeUndefined();
    expect(translateDatabaseError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('isUniqueViolation still reads the constraint', () => {
    expect(isUniqueViolation(failed('23505', { constraint: 'c' }), 'c')).toBe(true);
    expect(isUniqueViolation(failed('23505', { constraint: 'c' }), 'd')).toBe(false);
  });
});

describe('isDatabaseUnavailable', () => {
  it('reads socket errors, dropped connections, pool timeouts and the server refusing sessions', () => {
    const socket = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      expect(isDatabaseUnavailable(socket(code))).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnavailable(
        new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(failed('57P03'))).toBe(true);
    // A COMMIT on a runner TypeORM released when its connection failed.
    expect(isDatabaseUnavailable(new QueryRunnerAlreadyReleasedError())).toBe(true);
    // The same shapes from another realm (Node's core errors under a VM context): duck-typed.
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe(true);
  });

  it("is not fooled by defects or by answers that are the request's fault", () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(failed('23505'))).toBe(false);
    expect(isDatabaseUnavailable(failed('42P01'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
