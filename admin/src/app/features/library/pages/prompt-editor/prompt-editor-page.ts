import { COMMA, ENTER } from '@angular/cdk/keycodes';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import {
  MatChipGrid,
  MatChipInput,
  MatChipInputEvent,
  MatChipRemove,
  MatChipRow,
} from '@angular/material/chips';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatDialog } from '@angular/material/dialog';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { ProblemError } from '../../../../core/http/problem';
import { SessionStore } from '../../../../core/session/session.store';
import { filter, switchMap } from 'rxjs';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { Markdown } from '../../../../shared/ui/markdown/markdown';
import { CodeEditor } from '../../components/code-editor/code-editor';
import { SimilarPromptsPanel } from '../../components/similar-prompts-panel/similar-prompts-panel';
import { VariablesEditor } from '../../components/variables-editor/variables-editor';
import { describeError, statusOf } from '../../data/errors';
import { LibraryLookups } from '../../data/library-lookups.store';
import { Prompt, PromptVariable, SimilarPrompt } from '../../data/library.types';
import { promptPermissions } from '../../data/permissions';
import { PromptsApi } from '../../data/prompts.api';
import { HasUnsavedChanges } from '../../data/unsaved-changes.guard';
import { syncVariables } from '../../data/variables';
import {
  EMPTY_FORM,
  fromPrompt,
  PromptFormValue,
  sameForm,
  toPromptInput,
  validateForm,
} from './prompt-form';

export const CONFLICT_MESSAGE = 'Someone else saved a newer version of this prompt.';

/** Create (`/prompts/new`) and edit (`/prompts/:id/edit`) a prompt. */
@Component({
  selector: 'pv-prompt-editor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CodeEditor,
    Markdown,
    MatButton,
    MatButtonToggle,
    MatButtonToggleGroup,
    MatChipGrid,
    MatChipInput,
    MatChipRemove,
    MatChipRow,
    MatFormField,
    MatHint,
    MatIcon,
    MatInput,
    MatLabel,
    MatOption,
    MatProgressBar,
    MatSelect,
    RouterLink,
    SimilarPromptsPanel,
    VariablesEditor,
  ],
  templateUrl: './prompt-editor-page.html',
  styleUrl: './prompt-editor-page.scss',
  host: { '(window:beforeunload)': 'onBeforeUnload($event)' },
})
export class PromptEditorPage implements HasUnsavedChanges {
  /** Route parameter `:id`; absent when creating. */
  readonly id = input<string>();

  protected readonly lookups = inject(LibraryLookups);
  private readonly session = inject(SessionStore);
  private readonly api = inject(PromptsApi);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);

  protected readonly separators = [ENTER, COMMA];
  protected readonly prompt = signal<Prompt | null>(null);
  protected readonly form = signal<PromptFormValue>(EMPTY_FORM);
  private readonly saved = signal<PromptFormValue>(EMPTY_FORM);
  protected readonly changeNote = signal('');
  protected readonly loading = signal(false);
  protected readonly saving = signal(false);
  protected readonly duplicating = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly saveError = signal<string | null>(null);
  protected readonly conflict = signal(false);
  protected readonly serverErrors = signal<Record<string, string>>({});
  protected readonly submitted = signal(false);
  protected readonly view = signal<'write' | 'split' | 'preview'>('split');
  protected readonly conflictMessage = CONFLICT_MESSAGE;
  protected readonly contentPlaceholder = 'Write the prompt in Markdown; use {{name}} for variables';

  protected readonly editing = computed(() => !!this.id());
  protected readonly variables = computed(
    () => syncVariables(this.form().content, this.form().variables).variables,
  );
  protected readonly clientErrors = computed(() =>
    validateForm({ ...this.form(), variables: this.variables() }),
  );
  protected readonly errors = computed(() => ({
    ...(this.submitted() ? this.clientErrors() : {}),
    ...this.serverErrors(),
  }));
  protected readonly forbidden = computed(() => {
    const prompt = this.prompt();
    return (
      !!prompt && !promptPermissions(this.lookups.actor(), prompt).edit && this.lookups.actor().role !== null
    );
  });

  constructor() {
    effect(() => {
      const id = this.id();
      if (!this.session.organizationId()) return;
      untracked(() => {
        this.lookups.load();
        if (id) this.load(id);
      });
    });
  }

  hasUnsavedChanges(): boolean {
    return !sameForm(this.current(), this.saved()) || (this.editing() && this.changeNote().trim() !== '');
  }

  protected onBeforeUnload(event: BeforeUnloadEvent): void {
    if (this.hasUnsavedChanges()) event.preventDefault();
  }

  protected patch(patch: Partial<PromptFormValue>): void {
    this.form.update((f) => ({ ...f, ...patch }));
    const touched = Object.keys(patch);
    this.serverErrors.update((errors) =>
      Object.fromEntries(
        Object.entries(errors).filter(([field]) => !touched.some((t) => field.startsWith(t))),
      ),
    );
  }

  protected number(value: string): number | null {
    return value === '' ? null : Number(value);
  }

  protected updateVariable(variable: PromptVariable): void {
    const others = this.form().variables.filter((v) => v.name !== variable.name);
    this.patch({ variables: [...others, variable] });
  }

  protected addTag(event: MatChipInputEvent): void {
    const tag = event.value.trim();
    if (tag && !this.form().tags.some((t) => t.toLowerCase() === tag.toLowerCase())) {
      this.patch({ tags: [...this.form().tags, tag] });
    }
    event.chipInput.clear();
  }

  protected removeTag(tag: string): void {
    this.patch({ tags: this.form().tags.filter((t) => t !== tag) });
  }

  protected save(): void {
    this.submitted.set(true);
    this.saveError.set(null);
    this.conflict.set(false);
    if (Object.keys(this.clientErrors()).length > 0) {
      this.saveError.set('Check the highlighted fields.');
      return;
    }
    const value = this.current();
    const body = toPromptInput(value);
    const prompt = this.prompt();
    this.saving.set(true);
    const request = prompt
      ? this.api.update(prompt.id, {
          ...body,
          changeNote: this.changeNote().trim() || undefined,
          expectedVersion: prompt.version,
        })
      : this.api.create(body);
    request.subscribe({
      next: (result) => {
        this.saving.set(false);
        this.saved.set(value);
        this.form.set(value);
        this.changeNote.set('');
        this.snackBar.open(
          prompt ? `Saved version ${result.version}` : `Created “${result.title}”`,
          'Dismiss',
          {
            duration: 4000,
          },
        );
        void this.router.navigate(['/prompts', result.id]);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        if (statusOf(error) === 409 && prompt) {
          this.conflict.set(true);
          return;
        }
        if (error instanceof ProblemError && error.problem.errors?.length) {
          const byField: Record<string, string> = {};
          for (const e of error.problem.errors) byField[e.field] ??= e.message;
          this.serverErrors.set(byField);
          this.saveError.set('The server did not accept some fields; see the messages below.');
          return;
        }
        this.saveError.set(describeError(error, 'The prompt could not be saved'));
      },
    });
  }

  /**
   * "Duplicate and edit" on a similar prompt: after confirming that the draft here is given up,
   * copy that prompt and continue in the copy's editor.
   */
  protected duplicateAndEdit(source: SimilarPrompt): void {
    confirmAction(this.dialog, {
      title: `Duplicate “${source.title}”?`,
      message: `A copy of “${source.title}” is created and opened for editing. What you have written here is discarded.`,
      confirm: 'Duplicate and edit',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.duplicating.set(true);
          return this.api.duplicate(source.id);
        }),
      )
      .subscribe({
        next: (copy) => {
          this.duplicating.set(false);
          // The draft was given up in the dialog: leave without asking again.
          this.saved.set(this.current());
          this.changeNote.set('');
          this.snackBar.open(`Created “${copy.title}”`, 'Dismiss', { duration: 4000 });
          void this.router.navigate(['/prompts', copy.id, 'edit']);
        },
        // The error notifier reports the failure; the draft stays as it was.
        error: () => this.duplicating.set(false),
      });
  }

  /** After a conflict: take the newer version from the server (the local edits are discarded). */
  protected reloadLatest(): void {
    const id = this.id();
    if (id) this.load(id);
  }

  /** Errors for a field and anything nested under it (`variables.tone`, `metadata.temperature`). */
  protected errorFor(field: string): string | null {
    const errors = this.errors();
    return errors[field] ?? Object.entries(errors).find(([key]) => key.startsWith(field + '.'))?.[1] ?? null;
  }

  private current(): PromptFormValue {
    return { ...this.form(), variables: this.variables() };
  }

  private load(id: string): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.conflict.set(false);
    this.api.get(id, { silent: true }).subscribe({
      next: (prompt) => {
        const value = fromPrompt(prompt);
        this.prompt.set(prompt);
        this.form.set(value);
        this.saved.set({ ...value, variables: syncVariables(value.content, value.variables).variables });
        this.serverErrors.set({});
        this.submitted.set(false);
        this.loading.set(false);
      },
      error: (error: unknown) => {
        this.loading.set(false);
        this.loadError.set(describeError(error, 'The prompt could not be loaded'));
      },
    });
  }
}
