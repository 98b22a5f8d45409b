import { threadComments } from './comment-tree';
import { Comment } from '../../data/library.types';

const c = (id: string, parentId: string | null, createdAt: string): Comment => ({
  id,
  parentId,
  createdAt,
  promptId: 'p',
  authorId: 'u',
  author: null,
  content: id,
  edited: false,
  updatedAt: createdAt,
  deletedAt: null,
});

describe('threadComments', () => {
  it('nests replies under their parent, oldest first', () => {
    const tree = threadComments([
      c('b', null, '2026-01-02'),
      c('a', null, '2026-01-01'),
      c('a2', 'a', '2026-01-04'),
      c('a1', 'a', '2026-01-03'),
      c('a1x', 'a1', '2026-01-05'),
    ]);
    expect(tree.map((n) => n.comment.id)).toEqual(['a', 'b']);
    expect(tree[0].replies.map((n) => n.comment.id)).toEqual(['a1', 'a2']);
    expect(tree[0].replies[0].replies.map((n) => n.comment.id)).toEqual(['a1x']);
  });

  it('keeps a reply whose parent is gone as a root', () => {
    expect(threadComments([c('r', 'deleted', '2026-01-01')]).map((n) => n.comment.id)).toEqual(['r']);
  });
});
