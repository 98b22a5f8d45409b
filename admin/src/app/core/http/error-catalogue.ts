import { HttpErrorResponse } from '@angular/common/http';
import { AbstractControl, FormGroup } from '@angular/forms';
import { ProblemError } from './problem';
import { UNREACHABLE_MESSAGE } from './problem.interceptor';

/**
 * What the console says for one problem `code`, and the form field it concerns, if any. Each
 * feature keeps its codes in one catalogue in `features/<f>/data/` (the backend's
 * `<domain>.errors.ts` lists them); the console decides on the code, never on the message text.
 */
export interface CodeMessage {
  message: string;
  /** The form control the problem belongs under (e.g. a taken slug under "Slug"). */
  field?: string;
}

export type ErrorCatalogue = Readonly<Record<string, CodeMessage>>;

/** The problem's `code`, or null for a failure that is not an API problem. */
export function problemCode(error: unknown): string | null {
  return error instanceof ProblemError ? (error.problem.code ?? null) : null;
}

/** The catalogue's entry for the error's code, if it has one. */
export function catalogued(error: unknown, catalogue: ErrorCatalogue): CodeMessage | null {
  const code = problemCode(error);
  return code !== null && Object.hasOwn(catalogue, code) ? catalogue[code] : null;
}

/**
 * One sentence for a failure: the catalogue's message for a known code, else the problem's own
 * detail or title, "Cannot reach the server" for a network failure, else the fallback.
 */
export function describeFailure(error: unknown, catalogue: ErrorCatalogue, fallback: string): string {
  const known = catalogued(error, catalogue);
  if (known) return known.message;
  if (error instanceof ProblemError) return error.problem.detail ?? error.problem.title;
  if (error instanceof HttpErrorResponse && error.status === 0) return UNREACHABLE_MESSAGE;
  return fallback;
}

function setServerError(control: AbstractControl, message: string): void {
  control.setErrors({ ...(control.errors ?? {}), server: message });
  control.markAsTouched();
}

/**
 * Shows a failed submission on the form: field errors of a 400 and catalogued codes that name a
 * field go under their controls as `{ server: message }`. Returns what is left for the form's
 * general error line, or null when everything was placed.
 */
export function applyFailure(
  form: FormGroup,
  error: unknown,
  catalogue: ErrorCatalogue,
  fallback: string,
): string | null {
  const known = catalogued(error, catalogue);
  const control = known?.field ? form.get(known.field) : null;
  if (known && control) {
    setServerError(control, known.message);
    return null;
  }
  if (error instanceof ProblemError && error.status === 400 && error.problem.errors?.length) {
    const unplaced: string[] = [];
    for (const [field, messages] of Object.entries(error.fieldErrors())) {
      const target = form.get(field);
      if (target) setServerError(target, messages.join('. '));
      else unplaced.push(...messages);
    }
    return unplaced.length ? unplaced.join('. ') : null;
  }
  return describeFailure(error, catalogue, fallback);
}
