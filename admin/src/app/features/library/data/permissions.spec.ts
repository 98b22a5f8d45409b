import { bulkActions, canCreate, canManageCollection, canMoveLabel, promptPermissions } from './permissions';

const mine = { authorId: 'me' };
const theirs = { authorId: 'someone-else' };

describe('promptPermissions', () => {
  it('lets OWNER and ADMIN edit, delete and move production on anyone’s prompt', () => {
    for (const role of ['OWNER', 'ADMIN'] as const) {
      const p = promptPermissions({ role, userId: 'me' }, theirs);
      expect(p).toEqual({
        edit: true,
        delete: true,
        moveLabels: true,
        moveProduction: true,
        comment: true,
        manageTestCases: true,
      });
    }
  });

  it('lets an EDITOR edit and delete their own prompt but never move production', () => {
    const p = promptPermissions({ role: 'EDITOR', userId: 'me' }, mine);
    expect(p.edit).toBe(true);
    expect(p.delete).toBe(true);
    expect(p.moveLabels).toBe(true);
    expect(p.moveProduction).toBe(false);
    expect(canMoveLabel(p, 'production')).toBe(false);
    expect(canMoveLabel(p, 'staging')).toBe(true);
  });

  it('denies an EDITOR edit and delete on someone else’s prompt', () => {
    const p = promptPermissions({ role: 'EDITOR', userId: 'me' }, theirs);
    expect(p.edit).toBe(false);
    expect(p.delete).toBe(false);
    expect(p.moveLabels).toBe(false);
    expect(p.comment).toBe(true);
  });

  it('treats a prompt without author as someone else’s for an EDITOR', () => {
    expect(promptPermissions({ role: 'EDITOR', userId: 'me' }, { authorId: null }).edit).toBe(false);
  });

  it('gives a VIEWER comments only, even on a prompt they authored', () => {
    const p = promptPermissions({ role: 'VIEWER', userId: 'me' }, mine);
    expect(p.edit || p.delete || p.moveLabels || p.moveProduction || p.manageTestCases).toBe(false);
    expect(p.comment).toBe(true);
  });

  it('gives nothing without a membership', () => {
    const p = promptPermissions({ role: null, userId: null }, mine);
    expect(Object.values(p).some(Boolean)).toBe(false);
  });
});

describe('canCreate and canManageCollection', () => {
  it('allows creating for OWNER, ADMIN and EDITOR only', () => {
    expect(canCreate({ role: 'OWNER', userId: 'u' })).toBe(true);
    expect(canCreate({ role: 'EDITOR', userId: 'u' })).toBe(true);
    expect(canCreate({ role: 'VIEWER', userId: 'u' })).toBe(false);
  });

  it('lets an EDITOR manage only collections they created', () => {
    expect(canManageCollection({ role: 'EDITOR', userId: 'u' }, { createdById: 'u' })).toBe(true);
    expect(canManageCollection({ role: 'EDITOR', userId: 'u' }, { createdById: 'v' })).toBe(false);
    expect(canManageCollection({ role: 'ADMIN', userId: 'u' }, { createdById: 'v' })).toBe(true);
    expect(canManageCollection({ role: 'VIEWER', userId: 'u' }, { createdById: 'u' })).toBe(false);
  });
});

describe('bulkActions', () => {
  it('offers a VIEWER none and every other role all of them', () => {
    expect([...bulkActions({ role: 'VIEWER', userId: 'me' })]).toEqual([]);
    expect([...bulkActions({ role: null, userId: null })]).toEqual([]);
    for (const role of ['EDITOR', 'ADMIN', 'OWNER'] as const)
      expect([...bulkActions({ role, userId: 'me' })].sort()).toEqual([
        'archive',
        'delete',
        'move',
        'publish',
        'tag',
        'untag',
      ]);
  });
});
