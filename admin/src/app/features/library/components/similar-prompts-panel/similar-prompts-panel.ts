import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { SimilarPrompt } from '../../data/library.types';
import { PromptEditorStore } from '../../data/prompt-editor.store';
import { similarityHint, similarPrompts } from '../../data/similar-prompts';
import { MarkdownTextPipe } from '../../../../shared/ui/markdown/markdown';

/**
 * While a prompt is being created: the existing prompts closest to its title and content, so the
 * author can open or fork one instead of writing a duplicate. Hidden when nothing is similar or
 * once dismissed.
 */
@Component({
  selector: 'pv-similar-prompts-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MarkdownTextPipe, MatTooltip, MatButton, MatIcon, MatIconButton, RouterLink],
  templateUrl: './similar-prompts-panel.html',
  styleUrl: './similar-prompts-panel.scss',
})
export class SimilarPromptsPanel {
  /** The title and content being written. */
  readonly title = input.required<string>();
  readonly content = input.required<string>();
  /** While a duplicate is being made: the buttons wait. */
  readonly busy = input(false);
  /** "Duplicate and edit" on a match; the page confirms, copies and opens the copy's editor. */
  readonly duplicate = output<SimilarPrompt>();

  private readonly store = inject(PromptEditorStore);
  protected readonly dismissed = signal(false);

  private readonly draft = computed(() => ({ title: this.title(), content: this.content() }));
  protected readonly result = toSignal(
    similarPrompts(toObservable(this.draft), (query) => this.store.similar(query.title, query.content)),
    { initialValue: { items: [], engine: 'postgres' as const } },
  );
  protected readonly visible = computed(() => !this.dismissed() && this.result().items.length > 0);

  protected hint(item: SimilarPrompt): string {
    return similarityHint(item.score, this.result());
  }
}
