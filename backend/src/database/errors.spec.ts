import { QueryFailedError } from 'typeorm';
import { isUniqueViolation, translateDatabaseError } from './errors';

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
    ).toMatchObject({ status: 409 });
    expect(translateDatabaseError(failed('40001'))).toMatchObject({ status: 409 });
    const bareCommitError = Object.assign(new Error('deadlock'), { code: '40P01', severity: 'ERROR' });
    expect(translateDatabaseError(bareCommitError)).toMatchObject({ status: 409 });
  });

  it('a value the column type cannot take (a forged cursor) is a 400', () => {
    for (const code of ['22P02', '22007', '22008', '22003', '22021']) {
      expect(translateDatabaseError(failed(code))).toMatchObject({ status: 400, code: 'validation_failed' });
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
