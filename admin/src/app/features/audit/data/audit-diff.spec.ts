import { diffChanges } from './audit-diff';

describe('diffChanges', () => {
  it('turns {field: {from, to}} into before/after rows, sorted by field', () => {
    expect(
      diffChanges({
        title: { from: 'Old', to: 'New' },
        tags: { from: ['a'], to: ['a', 'b'] },
        category: { from: null, to: 'Support' },
        archivedAt: { from: '2026-01-01', to: null },
        visibility: { from: 'public', to: 'public' },
      }),
    ).toEqual([
      { field: 'archivedAt', before: '2026-01-01', after: null, kind: 'removed' },
      { field: 'category', before: null, after: 'Support', kind: 'added' },
      { field: 'tags', before: '[\n  "a"\n]', after: '[\n  "a",\n  "b"\n]', kind: 'changed' },
      { field: 'title', before: 'Old', after: 'New', kind: 'changed' },
      { field: 'visibility', before: 'public', after: 'public', kind: 'same' },
    ]);
  });

  it('shows other values as recorded (after only), and nothing for no changes', () => {
    expect(diffChanges({ name: 'Acme', count: 3, nested: { from: 1, extra: true } })).toEqual([
      { field: 'count', before: null, after: '3', kind: 'added' },
      { field: 'name', before: null, after: 'Acme', kind: 'added' },
      { field: 'nested', before: null, after: '{\n  "from": 1,\n  "extra": true\n}', kind: 'added' },
    ]);
    expect(diffChanges(null)).toEqual([]);
    expect(diffChanges(undefined)).toEqual([]);
    expect(diffChanges({})).toEqual([]);
  });
});
