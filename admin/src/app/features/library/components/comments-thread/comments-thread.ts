import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { Markdown } from '../../../../shared/ui/markdown/markdown';
import { LibraryLookups } from '../../data/library-lookups.store';
import { Comment } from '../../data/library.types';
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
  ],
  templateUrl: './comments-thread.html',
  styleUrl: './comments-thread.scss',
})
export class CommentsThread implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly lookups = inject(LibraryLookups);

  protected readonly tree = computed(() => threadComments(this.store.comments()));
  protected readonly text = signal('');
  protected readonly replyText = signal('');
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
    if (comment.content === null) return false;
    const actor = this.lookups.actor();
    return comment.authorId === actor.userId || actor.role === 'OWNER' || actor.role === 'ADMIN';
  }

  protected send(parentId: string | null): void {
    const content = (parentId ? this.replyText() : this.text()).trim();
    if (!content) return;
    this.store.addComment(content, parentId).subscribe(() => {
      if (parentId) {
        this.replyText.set('');
        this.replyTo.set(null);
      } else {
        this.text.set('');
      }
    });
  }

  protected remove(comment: Comment): void {
    this.store.deleteComment(comment.id).subscribe();
  }
}
