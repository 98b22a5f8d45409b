export class PersonDto {
  id: string;
  name: string;
  email: string;
}

export class CommentResponseDto {
  id: string;
  promptId: string;
  /** The comment this one replies to; null for a thread's first comment. */
  parentId: string | null;
  /** null if the author's account was deleted. */
  authorId: string | null;
  author: PersonDto | null;
  /** Markdown as written; null once the comment was deleted (the thread keeps its place). */
  content: string | null;
  /** Whether the content was changed after posting. */
  edited: boolean;
  createdAt: string;
  updatedAt: string;
  /** When it was deleted; null while it stands. */
  deletedAt: string | null;
}

export class CommentPageDto {
  /** Oldest first; replies come after their parent, so a page can be threaded by `parentId`. */
  items: CommentResponseDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
