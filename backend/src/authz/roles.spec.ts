import { DEFAULT_INVITE_ROLE, NON_OWNER_ROLES, outranks, strongestRole } from './roles';

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

  it('a default role (invitations, SSO) is any role but OWNER, strongest first; invitations default to EDITOR', () => {
    expect(NON_OWNER_ROLES).toEqual(['ADMIN', 'EDITOR', 'VIEWER']);
    expect(DEFAULT_INVITE_ROLE).toBe('EDITOR');
  });
});
