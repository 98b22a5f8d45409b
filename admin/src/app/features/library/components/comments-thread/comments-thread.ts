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
  template: `
    <ng-template #nodeTemplate let-node>
      <article class="comment" [attr.aria-label]="'Comment by ' + authorName(node.comment)">
        <header class="meta">
          <strong>{{ authorName(node.comment) }}</strong>
          <span class="muted">
            {{ node.comment.createdAt | date: 'medium' }}{{ node.comment.edited ? ' · edited' : '' }}
          </span>
        </header>
        @if (node.comment.content !== null) {
          <pv-markdown [content]="node.comment.content" />
        } @else {
          <p class="muted">This comment was deleted.</p>
        }
        <div class="actions">
          <button mat-button type="button" (click)="replyTo.set(node.comment.id)">
            <mat-icon svgIcon="reply" aria-hidden="true" /> Reply
          </button>
          @if (canDelete(node.comment)) {
            <button mat-button type="button" aria-label="Delete comment" (click)="remove(node.comment)">
              Delete
            </button>
          }
        </div>
        @if (replyTo() === node.comment.id) {
          <ng-container
            [ngTemplateOutlet]="composer"
            [ngTemplateOutletContext]="{ $implicit: node.comment.id }"
          />
        }
        @if (node.replies.length > 0) {
          <div class="replies">
            @for (reply of node.replies; track reply.comment.id) {
              <ng-container
                [ngTemplateOutlet]="nodeTemplate"
                [ngTemplateOutletContext]="{ $implicit: reply }"
              />
            }
          </div>
        }
      </article>
    </ng-template>

    <ng-template #composer let-parentId>
      <form class="composer" (submit)="$event.preventDefault(); send(parentId)">
        <mat-form-field>
          <mat-label>{{ parentId ? 'Reply' : 'Add a comment' }}</mat-label>
          <textarea
            matInput
            rows="3"
            [value]="parentId ? replyText() : text()"
            (input)="
              parentId ? replyText.set($any($event.target).value) : text.set($any($event.target).value)
            "
          ></textarea>
          <mat-hint>Markdown supported; mention a member with &#64;their-email</mat-hint>
        </mat-form-field>
        <div class="actions">
          @if (parentId) {
            <button mat-button type="button" (click)="replyTo.set(null)">Cancel</button>
          }
          <button mat-flat-button type="submit" [disabled]="!(parentId ? replyText() : text()).trim()">
            {{ parentId ? 'Reply' : 'Comment' }}
          </button>
        </div>
      </form>
    </ng-template>

    <div class="thread">
      @for (node of tree(); track node.comment.id) {
        <ng-container [ngTemplateOutlet]="nodeTemplate" [ngTemplateOutletContext]="{ $implicit: node }" />
      } @empty {
        <p class="muted">No comments yet.</p>
      }
    </div>
    <ng-container [ngTemplateOutlet]="composer" [ngTemplateOutletContext]="{ $implicit: null }" />
  `,
  styles: `
    .thread {
      display: grid;
      gap: 0.75rem;
      margin-bottom: 1rem;
    }
    .comment {
      padding: 0.75rem 1rem 0.25rem;
      border-radius: 12px;
      background: var(--mat-sys-surface-container-low);
    }
    .replies {
      margin-top: 0.5rem;
      padding-left: 1rem;
      border-left: 2px solid var(--mat-sys-outline-variant);
      display: grid;
      gap: 0.5rem;
    }
    .meta {
      display: flex;
      gap: 0.5rem;
      align-items: baseline;
      margin-bottom: 0.25rem;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      gap: 0.25rem;
    }
    .composer mat-form-field {
      width: 100%;
    }
  `,
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
