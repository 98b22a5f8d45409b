import { outranks, strongestRole } from './roles';

describe('role ranks', () => {
  it('OWNER outranks ADMIN outranks EDITOR outranks VIEWER, and no role outranks itself', () => {
    expect(outranks('OWNER', 'ADMIN')).toBe(true);
    expect(outranks('ADMIN', 'EDITOR')).toBe(true);
    expect(outranks('EDITOR', 'VIEWER')).toBe(true);
    expect(outranks('VIEWER', 'OWNER')).toBe(false);
    expect(outranks('ADMIN', 'ADMIN')).toBe(false);
  });

  it('the strongest role wins; none falls back', () => {
    expect(strongestRole(['VIEWER', 'ADMIN', 'EDITOR'], 'VIEWER')).toBe('ADMIN');
    expect(strongestRole([], 'EDITOR')).toBe('EDITOR');
  });
});
