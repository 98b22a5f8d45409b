import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ProblemError } from '../../../../core/http/problem';
import { describeError } from '../../data/errors';
import { Prompt, PromptVariable } from '../../data/library.types';
import { PromptsApi } from '../../data/prompts.api';
import { coerceValues, renderPreview, VariableValues } from '../../data/variables';

/**
 * The variables form of a prompt with a live, client-side preview of the rendered text and
 * the server's authoritative render (`POST /prompts/:id/render`, counts a use).
 */
@Component({
  selector: 'pv-variables-preview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButton,
    MatCheckbox,
    MatError,
    MatFormField,
    MatHint,
    MatIcon,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  templateUrl: './variables-preview.html',
  styleUrl: './variables-preview.scss',
})
export class VariablesPreview {
  private readonly api = inject(PromptsApi);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  readonly prompt = input.required<Prompt>();

  protected readonly values = signal<VariableValues>({});
  protected readonly rendered = signal<{ rendered: string; version: number } | null>(null);
  protected readonly rendering = signal(false);
  protected readonly renderError = signal<string | null>(null);
  protected readonly fieldErrors = signal<Record<string, string>>({});
  protected readonly preview = computed(() =>
    renderPreview(this.prompt().content, this.prompt().variables, this.values()),
  );

  protected hintFor(variable: PromptVariable): string {
    const parts = [variable.description ?? ''];
    if (
      variable.defaultValue !== null &&
      variable.defaultValue !== undefined &&
      variable.defaultValue !== ''
    ) {
      parts.push(`Default: ${String(variable.defaultValue)}`);
    }
    return parts.filter(Boolean).join(' · ');
  }

  protected set(name: string, value: string | boolean | null): void {
    this.values.update((v) => ({ ...v, [name]: value }));
    // The server's render is stale once a value changes; the live preview takes over again.
    this.rendered.set(null);
    this.fieldErrors.update(({ [name]: _, ...rest }) => rest);
  }

  protected renderOnServer(): void {
    const prompt = this.prompt();
    this.rendering.set(true);
    this.renderError.set(null);
    this.api.render(prompt.id, coerceValues(prompt.variables, this.values())).subscribe({
      next: (result) => {
        this.rendered.set(result);
        this.fieldErrors.set({});
        this.rendering.set(false);
      },
      error: (error: unknown) => {
        this.rendering.set(false);
        if (error instanceof ProblemError && error.problem.errors?.length) {
          const byField: Record<string, string> = {};
          for (const e of error.problem.errors) byField[e.field.replace(/^variables\./, '')] = e.message;
          this.fieldErrors.set(byField);
          this.renderError.set('Fill in the variables marked below.');
        } else {
          this.renderError.set(describeError(error, 'The prompt could not be rendered'));
        }
      },
    });
  }

  protected copy(): void {
    const text = this.rendered()?.rendered ?? this.preview().text;
    const copied = this.clipboard.copy(text);
    this.snackBar.open(copied ? 'Copied to the clipboard' : 'Copying failed', undefined, { duration: 3000 });
  }
}
