import { slugify, uniqueSlug } from './slug';

describe('slugify', () => {
  it('keeps ASCII letters and digits, folds accents and collapses separators', () => {
    expect(slugify('  Ada Lovelace’s   Team! ')).toBe('ada-lovelace-s-team');
    expect(slugify('Crème brûlée 2026')).toBe('creme-brulee-2026');
  });
  it('never returns an empty slug', () => {
    expect(slugify('!!!')).toBe('org');
  });
  it('adds a random suffix for generated names', () => {
    expect(uniqueSlug('Acme')).toMatch(/^acme-[0-9a-f]{6}$/);
    expect(uniqueSlug('Acme')).not.toBe(uniqueSlug('Acme'));
  });
});
