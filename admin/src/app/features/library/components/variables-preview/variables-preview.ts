import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormRecord, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { map } from 'rxjs';
import { ProblemError } from '../../../../core/http/problem';
import { describeError, LIBRARY_ERROR_MESSAGES, LibraryErrorCode } from '../../data/errors';
import { Prompt, PromptVariable } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { coerceValues, renderPreview, VariableValues } from '../../data/variables';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

type VariableValue = string | number | boolean | null;

/**
 * The variables form of a prompt with a live, client-side preview of the rendered text and
 * the server's authoritative render (`POST /prompts/:id/render`, counts a use).
 */
@Component({
  selector: 'pv-variables-preview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
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
    ReactiveFormsModule,
  ],
  templateUrl: './variables-preview.html',
  styleUrl: './variables-preview.scss',
})
export class VariablesPreview {
  private readonly store = inject(PromptDetailStore);
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  readonly prompt = input.required<Prompt>();

  /** One control per variable, created when its field is first shown. */
  protected readonly form = new FormRecord<FormControl<VariableValue>>({});
  protected readonly values = toSignal<VariableValues, VariableValues>(
    this.form.valueChanges.pipe(map(() => this.form.getRawValue())),
    { initialValue: {} },
  );
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

  constructor() {
    let previous = this.form.getRawValue();
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => {
      const next = this.form.getRawValue();
      const changed = Object.keys(next).filter((name) => next[name] !== previous[name]);
      previous = next;
      if (changed.length === 0) return;
      // The server's render is stale once a value changes; the live preview takes over again.
      this.rendered.set(null);
      this.fieldErrors.update((errors) =>
        Object.fromEntries(Object.entries(errors).filter(([name]) => !changed.includes(name))),
      );
    });
  }

  /** The control of a variable; created silently, as an empty value changes nothing. */
  protected control(name: string): FormControl<VariableValue> {
    let control = this.form.controls[name];
    if (!control) {
      control = new FormControl<VariableValue>(null);
      this.form.addControl(name, control, { emitEvent: false });
    }
    return control;
  }

  protected renderOnServer(): void {
    const prompt = this.prompt();
    this.rendering.set(true);
    this.renderError.set(null);
    this.store
      .render(coerceValues(prompt.variables, this.form.getRawValue()))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.rendered.set(result);
          this.fieldErrors.set({});
          this.rendering.set(false);
        },
        error: (error: unknown) => {
          this.rendering.set(false);
          // prompt_variables_invalid (and a 400 on the body) name each variable in `errors`.
          if (error instanceof ProblemError && error.problem.errors?.length) {
            const byField: Record<string, string> = {};
            for (const e of error.problem.errors) byField[e.field.replace(/^variables\./, '')] = e.message;
            this.fieldErrors.set(byField);
            this.renderError.set(LIBRARY_ERROR_MESSAGES[LibraryErrorCode.promptVariablesInvalid]);
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
