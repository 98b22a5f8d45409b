import { Comment } from '../../data/library.types';

export interface CommentNode {
  comment: Comment;
  replies: CommentNode[];
}

/** Threads from the flat list: replies under their parent, oldest first; orphans become roots. */
export function threadComments(comments: readonly Comment[]): CommentNode[] {
  const ids = new Set(comments.map((c) => c.id));
  const byParent = new Map<string | null, Comment[]>();
  for (const c of comments) {
    const parent = c.parentId && ids.has(c.parentId) ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const build = (parent: string | null): CommentNode[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((comment) => ({ comment, replies: build(comment.id) }));
  return build(null);
}
