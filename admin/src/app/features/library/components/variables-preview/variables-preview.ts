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
  template: `
    @if (prompt().variables.length > 0) {
      <form class="form" aria-label="Variables" (submit)="$event.preventDefault(); renderOnServer()">
        @for (variable of prompt().variables; track variable.name) {
          @switch (variable.type) {
            @case ('boolean') {
              <mat-checkbox
                [checked]="values()[variable.name] === true"
                (change)="set(variable.name, $event.checked)"
              >
                {{ variable.name }}
              </mat-checkbox>
            }
            @case ('select') {
              <mat-form-field>
                <mat-label>{{ variable.name }}</mat-label>
                <mat-select
                  [value]="values()[variable.name] ?? null"
                  (valueChange)="set(variable.name, $event)"
                >
                  <mat-option [value]="null">—</mat-option>
                  @for (option of variable.options ?? []; track option) {
                    <mat-option [value]="option">{{ option }}</mat-option>
                  }
                </mat-select>
                @if (fieldErrors()[variable.name]; as message) {
                  <mat-error>{{ message }}</mat-error>
                } @else if (hintFor(variable); as hint) {
                  <mat-hint>{{ hint }}</mat-hint>
                }
              </mat-form-field>
            }
            @default {
              <mat-form-field>
                <mat-label>{{ variable.name }}</mat-label>
                <input
                  matInput
                  [type]="variable.type === 'number' ? 'number' : 'text'"
                  [required]="variable.required"
                  [value]="values()[variable.name] ?? ''"
                  (input)="set(variable.name, $any($event.target).value)"
                />
                @if (fieldErrors()[variable.name]; as message) {
                  <mat-hint class="field-error">{{ message }}</mat-hint>
                } @else if (hintFor(variable); as hint) {
                  <mat-hint>{{ hint }}</mat-hint>
                }
              </mat-form-field>
            }
          }
        }
        <button class="hidden-submit" type="submit" tabindex="-1" aria-hidden="true"></button>
      </form>
    }

    <section class="preview" aria-labelledby="preview-heading">
      <div class="preview-header">
        <h3 id="preview-heading">
          {{ rendered() ? 'Rendered by the server (v' + rendered()!.version + ')' : 'Preview' }}
        </h3>
        <span class="spacer"></span>
        <button mat-button type="button" (click)="renderOnServer()" [disabled]="rendering()">
          <mat-icon svgIcon="play_arrow" aria-hidden="true" /> Render
        </button>
        <button mat-button type="button" (click)="copy()">
          <mat-icon svgIcon="content_copy" aria-hidden="true" /> Copy
        </button>
      </div>
      @if (preview().missing.length > 0 && !rendered()) {
        <p class="missing">Missing: {{ preview().missing.join(', ') }}</p>
      }
      @if (renderError(); as message) {
        <p class="field-error" role="alert">{{ message }}</p>
      }
      <pre class="text" data-testid="rendered-prompt">{{ rendered()?.rendered ?? preview().text }}</pre>
    </section>
  `,
  styles: `
    .form {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
      gap: 0.25rem 1rem;
      align-items: center;
      margin-bottom: 0.5rem;
    }
    .hidden-submit {
      display: none;
    }
    .preview {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-low);
    }
    .preview-header {
      display: flex;
      align-items: center;
      padding: 0.25rem 0.5rem 0 1rem;
    }
    .preview-header h3 {
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .spacer {
      flex: 1;
    }
    .text {
      margin: 0;
      padding: 0.5rem 1rem 1rem;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      font-size: 0.875rem;
    }
    .missing {
      margin: 0;
      padding: 0 1rem;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .field-error {
      color: var(--mat-sys-error);
      margin: 0;
      padding: 0 1rem;
    }
  `,
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
