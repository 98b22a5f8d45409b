import { ChangeDetectionStrategy, Component, effect, inject, input } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { VariablesPreview } from '../../../library/components/variables-preview/variables-preview';
import { PromptDetailStore } from '../../../library/data/prompt-detail.store';
import { RecentPrompts } from '../../data/recent-prompts';
import { SessionStore } from '../../../../core/session/session.store';

/** One prompt in the portal: what it is for, its variables form, render and copy. */
@Component({
  selector: 'pv-portal-prompt',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    RouterLink,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    EmptyState,
    VariablesPreview,
  ],
  providers: [PromptDetailStore],
  template: `
    <a mat-button routerLink="/portal" class="back">
      <mat-icon svgIcon="arrow_back" aria-hidden="true" />
      All prompts
    </a>
    @if (store.loading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the prompt" />
    } @else if (store.notFound()) {
      <pv-empty-state heading="Prompt not found" icon="search_off">
        It was deleted or is not shared with you.
      </pv-empty-state>
    } @else if (store.error(); as error) {
      <p role="alert">{{ error }}</p>
    } @else if (store.prompt(); as prompt) {
      <header class="header">
        <div>
          <h1 class="title">{{ prompt.title }}</h1>
          @if (prompt.description) {
            <p class="muted">{{ prompt.description }}</p>
          }
        </div>
        <button
          mat-icon-button
          [matTooltip]="prompt.favorited ? 'Remove from favorites' : 'Add to favorites'"
          type="button"
          [attr.aria-label]="prompt.favorited ? 'Remove from favorites' : 'Add to favorites'"
          [attr.aria-pressed]="prompt.favorited"
          (click)="store.toggleFavorite()"
        >
          <mat-icon [svgIcon]="prompt.favorited ? 'star' : 'star_border'" aria-hidden="true" />
        </button>
      </header>
      <pv-variables-preview [prompt]="prompt" />
    }
  `,
  styles: `
    :host {
      display: block;
      max-width: 60rem;
      margin: 0 auto;
    }
    .back {
      margin-bottom: 1rem;
    }
    .header {
      display: flex;
      align-items: flex-start;
      justify-content: space-between;
      gap: 1rem;
      margin-bottom: 1rem;
    }
    .title {
      margin: 0;
      font: var(--mat-sys-headline-medium);
    }
    .muted {
      margin: 0.25rem 0 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class PortalPrompt {
  /** Route parameter. */
  readonly id = input.required<string>();
  protected readonly store = inject(PromptDetailStore);
  private readonly recent = inject(RecentPrompts);
  private readonly session = inject(SessionStore);

  constructor() {
    effect(() => this.store.load(this.id()));
    effect(() => {
      const prompt = this.store.prompt();
      const organizationId = this.session.organizationId();
      if (prompt && organizationId)
        this.recent.remember(organizationId, { id: prompt.id, title: prompt.title });
    });
  }
}
