import { Collection } from './library.types';

export interface CollectionNode {
  collection: Collection;
  depth: number;
  children: CollectionNode[];
}

/**
 * Nested collections from the flat list, children sorted by name. A parent that is not in the
 * list (or a cycle the server would have refused) makes the node a root rather than losing it.
 */
export function buildCollectionTree(collections: readonly Collection[]): CollectionNode[] {
  const byId = new Map(collections.map((c) => [c.id, c]));
  const children = new Map<string | null, Collection[]>();
  for (const c of collections) {
    const parent = c.parentId && byId.has(c.parentId) && !createsCycle(c, byId) ? c.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(c);
    children.set(parent, list);
  }
  const build = (parent: string | null, depth: number): CollectionNode[] =>
    (children.get(parent) ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((collection) => ({ collection, depth, children: build(collection.id, depth + 1) }));
  return build(null, 0);
}

function createsCycle(start: Collection, byId: Map<string, Collection>): boolean {
  const seen = new Set<string>([start.id]);
  let current = start.parentId ? byId.get(start.parentId) : undefined;
  while (current) {
    if (seen.has(current.id)) return true;
    seen.add(current.id);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return false;
}

/** Depth-first list of the tree, for selects that show nesting by indentation. */
export function flattenTree(nodes: readonly CollectionNode[]): CollectionNode[] {
  return nodes.flatMap((node) => [node, ...flattenTree(node.children)]);
}

/** Ids of the collection and everything below it: none of them can become its parent. */
export function descendantIds(collections: readonly Collection[], id: string): Set<string> {
  const result = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of collections) {
      if (c.parentId && result.has(c.parentId) && !result.has(c.id)) {
        result.add(c.id);
        grew = true;
      }
    }
  }
  return result;
}
