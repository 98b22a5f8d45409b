import { inject, Injectable, signal } from '@angular/core';
import { catchError, EMPTY, finalize, Observable, tap } from 'rxjs';
import { ProblemError } from '../../../core/http/problem';
import { describeError, hasCode, LibraryErrorCode } from './errors';
import { Prompt, PromptInput, SimilarPrompts } from './library.types';
import { PromptsApi } from './prompts.api';

/** Where a failed save leaves the editor: which banner or field messages to show. */
export interface SaveFailure {
  /** Someone saved a newer version in between (`prompt_version_conflict`). */
  conflict: boolean;
  /** Messages keyed by form field (`title`, `slug`, `metadata.temperature`, …). */
  fields: Record<string, string>;
  /** The sentence under the form, or null when the conflict banner says it all. */
  message: string | null;
}

/** What a failed save means for the editor, decided on the problem's code and field errors. */
export function saveFailure(error: unknown): SaveFailure {
  if (hasCode(error, LibraryErrorCode.promptVersionConflict)) {
    return { conflict: true, fields: {}, message: null };
  }
  if (hasCode(error, LibraryErrorCode.promptSlugTaken)) {
    return {
      conflict: false,
      fields: { slug: 'Another prompt in this organization already uses this slug' },
      message: 'Choose another slug; see the message below.',
    };
  }
  if (error instanceof ProblemError && error.problem.errors?.length) {
    const fields: Record<string, string> = {};
    for (const e of error.problem.errors) fields[e.field] ??= e.message;
    return {
      conflict: false,
      fields,
      message: 'The server did not accept some fields; see the messages below.',
    };
  }
  return { conflict: false, fields: {}, message: describeError(error, 'The prompt could not be saved') };
}

/**
 * The prompt being created or edited and the state of its requests; provided by the editor page,
 * which subscribes to the returned requests and ends them with itself.
 */
@Injectable()
export class PromptEditorStore {
  private readonly api = inject(PromptsApi);

  /** The prompt as last loaded or saved; null while creating. */
  readonly prompt = signal<Prompt | null>(null);
  readonly loading = signal(false);
  readonly loadError = signal<string | null>(null);
  readonly saving = signal(false);
  readonly duplicating = signal(false);

  /**
   * Loads the prompt to edit; the page resets its form from the emitted prompt. A failure is
   * shown through `loadError` and ends the stream without a value.
   */
  load(id: string): Observable<Prompt> {
    this.loading.set(true);
    this.loadError.set(null);
    return this.api.get(id, { silent: true }).pipe(
      tap({
        next: (prompt) => this.prompt.set(prompt),
        error: (error: unknown) => this.loadError.set(describeError(error, 'The prompt could not be loaded')),
      }),
      catchError(() => EMPTY),
      finalize(() => this.loading.set(false)),
    );
  }

  /** Creates the prompt, or saves a new version based on the loaded one (`expectedVersion`). */
  save(body: PromptInput, changeNote: string): Observable<Prompt> {
    const prompt = this.prompt();
    this.saving.set(true);
    const request = prompt
      ? this.api.update(prompt.id, {
          ...body,
          changeNote: changeNote.trim() || undefined,
          expectedVersion: prompt.version,
        })
      : this.api.create(body);
    return request.pipe(finalize(() => this.saving.set(false)));
  }

  /** Copies another prompt ("Duplicate and edit" on a similar prompt). */
  duplicate(id: string): Observable<Prompt> {
    this.duplicating.set(true);
    return this.api.duplicate(id).pipe(finalize(() => this.duplicating.set(false)));
  }

  /** Existing prompts close to the draft (the similar-prompts panel). */
  similar(title: string, content: string): Observable<SimilarPrompts> {
    return this.api.similar(title, content);
  }
}
