import { COMMA, ENTER } from '@angular/cdk/keycodes';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import {
  MatChipGrid,
  MatChipInput,
  MatChipInputEvent,
  MatChipRemove,
  MatChipRow,
} from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { filter, map, switchMap } from 'rxjs';
import { SessionStore } from '../../../../core/session/session.store';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { PromptText } from '../../../../shared/ui/prompt-text/prompt-text';
import { CodeEditor } from '../../components/code-editor/code-editor';
import { SimilarPromptsPanel } from '../../components/similar-prompts-panel/similar-prompts-panel';
import { VariablesEditor } from '../../components/variables-editor/variables-editor';
import { LIBRARY_ERROR_MESSAGES, LibraryErrorCode } from '../../data/errors';
import { LibraryLookups } from '../../data/library-lookups.store';
import {
  Prompt,
  PromptStatus,
  PromptVariable,
  PromptVisibility,
  SimilarPrompt,
} from '../../data/library.types';
import { canCreate, promptPermissions } from '../../data/permissions';
import { PromptEditorStore, saveFailure } from '../../data/prompt-editor.store';
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
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

export const CONFLICT_MESSAGE = LIBRARY_ERROR_MESSAGES[LibraryErrorCode.promptVersionConflict];

/** Form fields whose server errors are reported under `metadata.` */
const METADATA_FIELDS = new Set<keyof PromptFormValue>(['model', 'temperature', 'maxTokens']);

/** Create (`/prompts/new`) and edit (`/prompts/:id/edit`) a prompt. */
@Component({
  selector: 'pv-prompt-editor-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CodeEditor,
    EmptyState,
    PromptText,
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
    FocusInvalid,
    ReactiveFormsModule,
    RouterLink,
    SimilarPromptsPanel,
    VariablesEditor,
  ],
  providers: [PromptEditorStore],
  templateUrl: './prompt-editor-page.html',
  styleUrl: './prompt-editor-page.scss',
  host: {
    '(window:beforeunload)': 'onBeforeUnload($event)',
    '(document:keydown)': 'onKeydown($event)',
  },
})
export class PromptEditorPage implements HasUnsavedChanges {
  /** Route parameter `:id`; absent when creating. */
  readonly id = input<string>();

  protected readonly store = inject(PromptEditorStore);
  protected readonly lookups = inject(LibraryLookups);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly form = this.fb.group({
    title: [EMPTY_FORM.title],
    slug: [EMPTY_FORM.slug],
    description: [EMPTY_FORM.description],
    content: [EMPTY_FORM.content],
    variables: this.fb.control<PromptVariable[]>(EMPTY_FORM.variables),
    tags: this.fb.control<string[]>(EMPTY_FORM.tags),
    categoryId: this.fb.control<string | null>(EMPTY_FORM.categoryId),
    collectionId: this.fb.control<string | null>(EMPTY_FORM.collectionId),
    visibility: this.fb.control<PromptVisibility>(EMPTY_FORM.visibility),
    status: this.fb.control<PromptStatus>(EMPTY_FORM.status),
    model: [EMPTY_FORM.model],
    temperature: this.fb.control<number | null>(EMPTY_FORM.temperature),
    maxTokens: this.fb.control<number | null>(EMPTY_FORM.maxTokens),
  });
  protected readonly changeNote = this.fb.control('');
  /** The form's value as a signal, for the preview, the similar-prompts panel and validation. */
  protected readonly value = toSignal(this.form.valueChanges.pipe(map(() => this.form.getRawValue())), {
    initialValue: this.form.getRawValue(),
  });

  protected readonly separators = [ENTER, COMMA];
  private readonly saved = signal<PromptFormValue>(EMPTY_FORM);
  protected readonly saveError = signal<string | null>(null);
  protected readonly conflict = signal(false);
  protected readonly serverErrors = signal<Record<string, string>>({});
  protected readonly submitted = signal(false);
  protected readonly view = signal<'write' | 'split' | 'preview'>('split');
  protected readonly conflictMessage = CONFLICT_MESSAGE;
  protected readonly contentPlaceholder = 'Write the prompt; use {{name}} for variables';

  protected readonly editing = computed(() => !!this.id());
  protected readonly variables = computed(
    () => syncVariables(this.value().content, this.value().variables).variables,
  );
  protected readonly clientErrors = computed(() =>
    validateForm({ ...this.value(), variables: this.variables() }),
  );
  protected readonly errors = computed(() => ({
    ...(this.submitted() ? this.clientErrors() : {}),
    ...this.serverErrors(),
  }));
  protected readonly forbidden = computed(() => {
    const prompt = this.store.prompt();
    return (
      !!prompt && !promptPermissions(this.lookups.actor(), prompt).edit && this.lookups.actor().role !== null
    );
  });
  /** A new prompt for someone the shared rules do not let create one (a VIEWER following a link). */
  protected readonly createForbidden = computed(
    () => !this.editing() && this.lookups.actor().role !== null && !canCreate(this.lookups.actor()),
  );

  constructor() {
    effect(() => {
      const id = this.id();
      if (!this.session.organizationId()) return;
      untracked(() => {
        this.lookups.load();
        if (id) this.load(id);
      });
    });
    // A server message about a field goes away once that field is edited.
    let previous = this.form.getRawValue();
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => {
      const next = this.form.getRawValue();
      const changed = (Object.keys(next) as (keyof PromptFormValue)[])
        .filter((key) => next[key] !== previous[key])
        .map((key) => (METADATA_FIELDS.has(key) ? `metadata.${key}` : key));
      previous = next;
      if (changed.length === 0 || Object.keys(this.serverErrors()).length === 0) return;
      this.serverErrors.update((errors) =>
        Object.fromEntries(
          Object.entries(errors).filter(([field]) => !changed.some((c) => field.startsWith(c))),
        ),
      );
    });
  }

  hasUnsavedChanges(): boolean {
    return !sameForm(this.current(), this.saved()) || (this.editing() && this.changeNote.value.trim() !== '');
  }

  protected onBeforeUnload(event: BeforeUnloadEvent): void {
    if (this.hasUnsavedChanges()) event.preventDefault();
  }

  protected updateVariable(variable: PromptVariable): void {
    const others = this.form.controls.variables.value.filter((v) => v.name !== variable.name);
    this.form.controls.variables.setValue([...others, variable]);
  }

  protected addTag(event: MatChipInputEvent): void {
    const tag = event.value.trim();
    const tags = this.form.controls.tags;
    if (tag && !tags.value.some((t) => t.toLowerCase() === tag.toLowerCase())) {
      tags.setValue([...tags.value, tag]);
    }
    event.chipInput.clear();
  }

  protected removeTag(tag: string): void {
    const tags = this.form.controls.tags;
    tags.setValue(tags.value.filter((t) => t !== tag));
  }

  /** Whether Save (the button, Ctrl/Cmd+S) may run now. */
  protected readonly canSave = computed(
    () => !this.store.saving() && !this.forbidden() && !this.store.loading() && !this.createForbidden(),
  );
  /** The modifier the shortcut sheet and the action bar name: Cmd on a Mac. */
  protected readonly saveKey = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? '') ? 'Cmd' : 'Ctrl';

  /** Ctrl+S (Cmd+S) saves instead of opening the browser's "Save page" dialog, even from a field. */
  protected onKeydown(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 's') return;
    event.preventDefault();
    if (this.canSave()) this.save();
  }

  protected save(): void {
    if (!this.canSave()) return;
    this.submitted.set(true);
    this.saveError.set(null);
    this.conflict.set(false);
    if (Object.keys(this.clientErrors()).length > 0) {
      this.saveError.set('Check the highlighted fields.');
      return;
    }
    const value = this.current();
    const creating = !this.store.prompt();
    this.store
      .save(toPromptInput(value), this.changeNote.value)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.saved.set(value);
          this.form.setValue(value);
          this.changeNote.reset();
          this.snackBar.open(
            creating ? `Created “${result.title}”` : `Saved version ${result.version}`,
            'Dismiss',
            { duration: 4000 },
          );
          void this.router.navigate(['/prompts', result.id]);
        },
        error: (error: unknown) => {
          const failure = saveFailure(error);
          this.conflict.set(failure.conflict);
          this.serverErrors.set(failure.fields);
          this.saveError.set(failure.message);
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
        switchMap(() => this.store.duplicate(source.id)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (copy) => {
          // The draft was given up in the dialog: leave without asking again.
          this.saved.set(this.current());
          this.changeNote.reset();
          this.snackBar.open(`Created “${copy.title}”`, 'Dismiss', { duration: 4000 });
          void this.router.navigate(['/prompts', copy.id, 'edit']);
        },
        // The error notifier reports the failure; the draft stays as it was.
        error: () => undefined,
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
    return { ...this.form.getRawValue(), variables: this.variables() };
  }

  private load(id: string): void {
    this.conflict.set(false);
    this.store
      .load(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((prompt: Prompt) => {
        const value = fromPrompt(prompt);
        this.form.setValue(value);
        this.saved.set({ ...value, variables: syncVariables(value.content, value.variables).variables });
        this.serverErrors.set({});
        this.submitted.set(false);
      });
  }
}
