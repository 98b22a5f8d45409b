import { DatePipe, NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  OnInit,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { Markdown } from '../../../../shared/ui/markdown/markdown';
import { LibraryLookups } from '../../data/library-lookups.store';
import { Comment } from '../../data/library.types';
import { canDeleteComment } from '../../data/permissions';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { threadComments } from './comment-tree';

/** Threaded Markdown comments with replies; `@email` mentions notify members (server side). */
@Component({
  selector: 'pv-comments-thread',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    Markdown,
    MatButton,
    MatFormField,
    MatHint,
    MatIcon,
    MatInput,
    MatLabel,
    NgTemplateOutlet,
    ReactiveFormsModule,
  ],
  templateUrl: './comments-thread.html',
  styleUrl: './comments-thread.scss',
})
export class CommentsThread implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);

  private readonly destroyRef = inject(DestroyRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly tree = computed(() => threadComments(this.store.comments()));
  /** The new top-level comment, and the reply being written (one reply form open at a time). */
  protected readonly comment = this.fb.control('');
  protected readonly reply = this.fb.control('');
  protected readonly commentText = toSignal(this.comment.valueChanges, { initialValue: '' });
  protected readonly replyText = toSignal(this.reply.valueChanges, { initialValue: '' });
  protected readonly replyTo = signal<string | null>(null);

  ngOnInit(): void {
    this.store.loadComments();
  }

  protected authorName(comment: Comment): string {
    return comment.author
      ? comment.author.name || comment.author.email
      : this.lookups.memberName(comment.authorId);
  }

  protected canDelete(comment: Comment): boolean {
    return comment.content !== null && canDeleteComment(this.lookups.actor(), comment);
  }

  protected openReply(commentId: string): void {
    this.reply.reset();
    this.replyTo.set(commentId);
  }

  protected closeReply(): void {
    this.replyTo.set(null);
  }

  protected send(parentId: string | null): void {
    const control = parentId ? this.reply : this.comment;
    const content = control.value.trim();
    if (!content) return;
    this.store
      .addComment(content, parentId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => {
        control.reset();
        if (parentId) this.closeReply();
      });
  }

  protected remove(comment: Comment): void {
    this.store.deleteComment(comment.id).pipe(takeUntilDestroyed(this.destroyRef)).subscribe();
  }
}
