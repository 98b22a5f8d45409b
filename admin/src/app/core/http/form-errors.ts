import { AbstractControl, FormGroup } from '@angular/forms';
import { ProblemError } from './problem';

/**
 * Puts the field errors of a 400 problem on the form's controls as `{ server: message }`,
 * so they show inline under the field. Returns the messages for fields the form does not have.
 */
export function applyFieldErrors(form: FormGroup, error: unknown): string[] {
  if (!(error instanceof ProblemError) || error.status !== 400) return [];
  const unplaced: string[] = [];
  for (const [field, messages] of Object.entries(error.fieldErrors())) {
    const control: AbstractControl | null = form.get(field);
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), server: messages.join('. ') });
      control.markAsTouched();
    } else {
      unplaced.push(...messages);
    }
  }
  return unplaced;
}
