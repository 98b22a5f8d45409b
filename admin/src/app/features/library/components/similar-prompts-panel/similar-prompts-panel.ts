import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { SimilarPrompt } from '../../data/library.types';
import { PromptsApi } from '../../data/prompts.api';
import { similarityHint, similarPrompts } from '../../data/similar-prompts';

/**
 * While a prompt is being created: the existing prompts closest to its title and content, so the
 * author can open or fork one instead of writing a duplicate. Hidden when nothing is similar or
 * once dismissed.
 */
@Component({
  selector: 'pv-similar-prompts-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatIcon, MatIconButton, RouterLink],
  template: `
    @if (visible()) {
      <section class="panel" aria-labelledby="similar-prompts-heading">
        <header class="header">
          <h2 id="similar-prompts-heading" class="heading">Similar prompts already exist</h2>
          <span class="spacer"></span>
          <button
            mat-icon-button
            type="button"
            aria-label="Dismiss similar prompts"
            (click)="dismissed.set(true)"
          >
            <mat-icon svgIcon="close" aria-hidden="true" />
          </button>
        </header>
        <p class="intro">Edit or fork one of these instead of starting a duplicate.</p>
        <ul class="matches">
          @for (item of result().items; track item.id) {
            <li class="match">
              <div class="text">
                <a class="title" [routerLink]="['/prompts', item.id]">{{ item.title }}</a>
                <span class="hint">{{ hint(item) }}</span>
                @if (item.description) {
                  <span class="description">{{ item.description }}</span>
                }
              </div>
              <a mat-button [routerLink]="['/prompts', item.id]" [attr.aria-label]="'Open ' + item.title"
                >Open</a
              >
              <button
                mat-stroked-button
                type="button"
                [disabled]="busy()"
                [attr.aria-label]="'Duplicate and edit ' + item.title"
                (click)="duplicate.emit(item)"
              >
                Duplicate and edit
              </button>
            </li>
          }
        </ul>
      </section>
    }
  `,
  styles: `
    .panel {
      padding: 0.75rem 1rem;
      margin-bottom: 1rem;
      border-radius: 12px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    .header {
      display: flex;
      align-items: center;
    }
    .heading {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .spacer {
      flex: 1;
    }
    .intro {
      margin: 0 0 0.5rem;
      font: var(--mat-sys-body-medium);
    }
    .matches {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.25rem;
    }
    .match {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .text {
      flex: 1 1 16rem;
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 0.5rem;
      min-width: 0;
    }
    .title {
      color: inherit;
      font: var(--mat-sys-title-small);
    }
    .hint {
      font: var(--mat-sys-label-medium);
    }
    .description {
      flex-basis: 100%;
      font: var(--mat-sys-body-small);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
})
export class SimilarPromptsPanel {
  /** The title and content being written. */
  readonly title = input.required<string>();
  readonly content = input.required<string>();
  /** While a duplicate is being made: the buttons wait. */
  readonly busy = input(false);
  /** "Duplicate and edit" on a match; the page confirms, copies and opens the copy's editor. */
  readonly duplicate = output<SimilarPrompt>();

  private readonly api = inject(PromptsApi);
  protected readonly dismissed = signal(false);

  private readonly draft = computed(() => ({ title: this.title(), content: this.content() }));
  protected readonly result = toSignal(
    similarPrompts(toObservable(this.draft), (query) => this.api.similar(query.title, query.content)),
    { initialValue: { items: [], engine: 'postgres' as const } },
  );
  protected readonly visible = computed(() => !this.dismissed() && this.result().items.length > 0);

  protected hint(item: SimilarPrompt): string {
    return similarityHint(item.score, this.result());
  }
}
