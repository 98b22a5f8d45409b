import { buildCollectionTree, descendantIds, flattenTree } from './collection-tree';
import { Collection } from './library.types';

const c = (id: string, name: string, parentId: string | null = null): Collection => ({
  id,
  name,
  parentId,
  description: null,
  createdById: null,
  promptCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('buildCollectionTree', () => {
  it('nests children under parents, sorted by name, with depth', () => {
    const tree = buildCollectionTree([
      c('b', 'Support'),
      c('a', 'Marketing'),
      c('a2', 'Email', 'a'),
      c('a1', 'Ads', 'a'),
    ]);
    expect(flattenTree(tree).map((n) => `${n.depth}:${n.collection.name}`)).toEqual([
      '0:Marketing',
      '1:Ads',
      '1:Email',
      '0:Support',
    ]);
  });

  it('shows orphans and cycles as roots instead of dropping them', () => {
    const tree = buildCollectionTree([c('x', 'Orphan', 'missing'), c('p', 'P', 'q'), c('q', 'Q', 'p')]);
    expect(tree.map((n) => n.collection.name).sort()).toEqual(['Orphan', 'P', 'Q']);
  });
});

describe('descendantIds', () => {
  it('returns the collection and all below it', () => {
    const list = [c('a', 'A'), c('b', 'B', 'a'), c('c', 'C', 'b'), c('d', 'D')];
    expect([...descendantIds(list, 'a')].sort()).toEqual(['a', 'b', 'c']);
  });
});
