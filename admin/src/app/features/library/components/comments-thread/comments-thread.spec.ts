import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { fieldByLabel, prompt, setUpLibrary, type } from '../../../../../testing/library-fixtures';
import { queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { Comment } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { CommentsThread } from './comments-thread';

function comment(
  id: string,
  authorId: string,
  content: string | null,
  parentId: string | null = null,
): Comment {
  return {
    id,
    promptId: 'p1',
    parentId,
    authorId,
    author: null,
    content,
    edited: false,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    deletedAt: content === null ? '2026-01-02T00:00:00Z' : null,
  };
}

const THREAD: Comment[] = [
  comment('c1', 'u2', 'Looks **good**'),
  comment('c2', 'u1', 'Thanks!', 'c1'),
  comment('c3', 'u2', null),
];

function render(role: MembershipRole) {
  const bed = setUpLibrary(role);
  TestBed.inject(PromptDetailStore).prompt.set(prompt());
  const fixture = TestBed.createComponent(CommentsThread);
  TestBed.tick();
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/comments')
    .flush({ items: THREAD, nextCursor: null });
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  const article = (name: string) => {
    const matches = Array.from(root.querySelectorAll<HTMLElement>(`article[aria-label="${name}"]`));
    return matches;
  };
  return { ...bed, root, article };
}

function submit(form: Element): void {
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

describe('CommentsThread', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('threads replies under their comment and keeps deleted comments as placeholders', () => {
    const { article } = render('EDITOR');
    const [bob, deleted] = article('Comment by Bob');
    expect(bob.querySelector('strong')!.textContent).toBe('Bob');
    expect(bob.textContent).toContain('Looks good');
    const reply = bob.querySelector('.replies article[aria-label="Comment by Ada"]');
    expect(reply!.textContent).toContain('Thanks!');
    expect(deleted.textContent).toContain('This comment was deleted.');
  });

  it('lets an EDITOR delete only their own comments; an OWNER may delete any live one', () => {
    const editor = render('EDITOR');
    expect(queryAllByRole(editor.root, 'button', 'Delete comment')).toHaveLength(1);
    expect(editor.article('Comment by Ada')[0].querySelector('[aria-label="Delete comment"]')).not.toBeNull();
    TestBed.resetTestingModule();

    const owner = render('OWNER');
    expect(queryAllByRole(owner.root, 'button', 'Delete comment')).toHaveLength(2);
  });

  it('posts a new comment and clears the box', () => {
    const bed = render('EDITOR');
    const box = fieldByLabel<HTMLTextAreaElement>(bed.root, 'Add a comment');
    const form = box.closest('form')!;
    expect(form.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(true);
    type(box, '  Ship it  ');
    TestBed.tick();
    submit(form);

    const post = bed.backend.expectOne('/api/v1/prompts/p1/comments');
    expect(post.request.body).toEqual({ content: 'Ship it' });
    post.flush(comment('c4', 'u1', 'Ship it'));
    TestBed.tick();
    expect(box.value).toBe('');
    expect(bed.article('Comment by Ada').map((a) => a.textContent)).toContainEqual(
      expect.stringContaining('Ship it'),
    );
  });

  it('replies to a comment in a form under it', () => {
    const bed = render('EDITOR');
    const [bob] = bed.article('Comment by Bob');
    bob.querySelector<HTMLButtonElement>('.actions button')!.click();
    TestBed.tick();
    const box = fieldByLabel<HTMLTextAreaElement>(bob, 'Reply');
    type(box, 'Agreed');
    TestBed.tick();
    submit(box.closest('form')!);

    const post = bed.backend.expectOne('/api/v1/prompts/p1/comments');
    expect(post.request.body).toEqual({ content: 'Agreed', parentId: 'c1' });
    post.flush(comment('c5', 'u1', 'Agreed', 'c1'));
    TestBed.tick();
    expect(bob.querySelectorAll('textarea')).toHaveLength(0);
    expect(bob.querySelector('.replies')!.textContent).toContain('Agreed');
  });

  it('deletes a comment and re-reads the thread', () => {
    const bed = render('EDITOR');
    bed
      .article('Comment by Ada')[0]
      .querySelector<HTMLButtonElement>('[aria-label="Delete comment"]')!
      .click();
    const del = bed.backend.expectOne('/api/v1/comments/c2');
    expect(del.request.method).toBe('DELETE');
    del.flush(null);
    bed.backend
      .expectOne((r) => r.url === '/api/v1/prompts/p1/comments')
      .flush({ items: [THREAD[0], comment('c2', 'u1', null, 'c1'), THREAD[2]], nextCursor: null });
    TestBed.tick();
    expect(bed.article('Comment by Ada')[0].textContent).toContain('This comment was deleted.');
  });
});
