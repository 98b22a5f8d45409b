import { afterNextRender, Directive, ElementRef, inject, Injector } from '@angular/core';
import { FormGroupDirective } from '@angular/forms';

/** What counts as an invalid field once a form has been submitted (Material and plain controls). */
const INVALID_FIELD = [
  '[aria-invalid="true"]',
  'input.ng-invalid',
  'textarea.ng-invalid',
  'mat-select.ng-invalid',
  '.mat-form-field-invalid input',
  '.mat-form-field-invalid textarea',
  '.mat-form-field-invalid mat-select',
  '[role="textbox"][aria-invalid="true"]',
].join(', ');

/**
 * Moves focus to the first invalid field of `form` and scrolls it into view (centered, so the
 * sticky bars do not hide it). Returns whether there was one.
 */
export function focusFirstInvalid(form: HTMLElement): boolean {
  const field = form.querySelector<HTMLElement>(INVALID_FIELD);
  if (!field) return false;
  field.focus({ preventScroll: true });
  field.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  return true;
}

/**
 * On every reactive form (`form[formGroup]`, import it where the form is; `pv-dialog` carries it
 * for the form on its host): an empty or invalid submit marks every control as touched so the
 * fields turn red, then focuses and scrolls to the first invalid one, after the page shows its
 * errors. Without a form on its element (a dialog that only informs) it does nothing.
 */
// Matches every reactive form it is imported beside, like Angular's own form directives do.
// eslint-disable-next-line @angular-eslint/directive-selector
@Directive({ selector: 'form[formGroup]' })
export class FocusInvalid {
  private readonly group = inject(FormGroupDirective, { optional: true, self: true });
  private readonly element = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  constructor() {
    const group = this.group;
    if (!group) return;
    // A submit bubbles: on a dialog's host it comes from the dialog's own inner <form>.
    this.element.nativeElement.addEventListener('submit', () => {
      if (group.form.invalid) group.form.markAllAsTouched();
      afterNextRender(() => focusFirstInvalid(this.element.nativeElement), { injector: this.injector });
    });
  }
}
