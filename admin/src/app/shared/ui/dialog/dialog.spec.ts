import { ApplicationRef, ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatDialog, MatDialogState } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { getByRole, queryAllByRole } from '../../../../testing/test-helpers';
import { provideAppIcons } from '../../../core/icons/app-icons';
import { Dialog } from './dialog';

/** A dialog as the features write them: a reactive form on the scaffold, actions projected. */
@Component({
  selector: 'pv-test-form-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Dialog, ReactiveFormsModule, MatFormField, MatLabel, MatInput],
  template: `
    <pv-dialog
      heading="Rename thing"
      [busy]="busy()"
      [error]="error()"
      [formGroup]="form"
      (ngSubmit)="submitted.push(form.getRawValue().name)"
    >
      <mat-form-field>
        <mat-label>Name</mat-label>
        <input matInput formControlName="name" />
      </mat-form-field>
      <ng-container pvDialogActions>
        <button type="button">Cancel</button>
        <button type="submit" [disabled]="busy()">Rename</button>
      </ng-container>
    </pv-dialog>
  `,
})
class FormDialog {
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly submitted: string[] = [];
  readonly form = new FormGroup({
    name: new FormControl('first', { nonNullable: true, validators: [Validators.required] }),
  });
}

/** A dialog without a form: its buttons submit nothing. */
@Component({
  selector: 'pv-test-plain-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Dialog],
  template: `
    <pv-dialog heading="Just so you know">
      <p>Something happened.</p>
      <button pvDialogActions type="submit">Done</button>
    </pv-dialog>
  `,
})
class PlainDialog {}

async function open<T>(component: new () => T) {
  TestBed.configureTestingModule({ providers: [provideAppIcons()] });
  const ref = TestBed.inject(MatDialog).open(component);
  await TestBed.inject(ApplicationRef).whenStable();
  const surface = document.querySelector<HTMLElement>('mat-dialog-container')!;
  return { ref, surface, instance: ref.componentInstance };
}

describe('Dialog (pv-dialog)', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('is named by its heading and puts the projected actions at the end', async () => {
    const { surface } = await open(FormDialog);
    expect(getByRole(document.body, 'dialog', 'Rename thing')).toBe(surface);
    const actions = surface.querySelector('mat-dialog-actions')!;
    expect(queryAllByRole(actions as HTMLElement, 'button').map((b) => b.textContent?.trim())).toEqual([
      'Cancel',
      'Rename',
    ]);
  });

  it('submits the host form from its submit button, and the page stays where it is', async () => {
    const { surface, instance } = await open(FormDialog);
    const input = surface.querySelector('input')!;
    input.value = 'second';
    input.dispatchEvent(new Event('input'));
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    surface.querySelector('form')!.dispatchEvent(submit);
    expect(instance.submitted).toEqual(['second']);
    expect(submit.defaultPrevented).toBe(true);
    getByRole(surface, 'button', 'Rename').click();
    expect(instance.submitted).toEqual(['second', 'second']);
  });

  it('turns an empty field red and focuses it when the form is submitted empty (FocusInvalid)', async () => {
    const { ref, surface, instance } = await open(FormDialog);
    // As a user would: after the dialog has opened (it moves the focus into itself while opening).
    while (ref.getState() !== MatDialogState.OPEN) await new Promise((resolve) => setTimeout(resolve, 20));
    const input = surface.querySelector('input')!;
    input.value = '';
    input.dispatchEvent(new Event('input'));
    const rename = getByRole(surface, 'button', 'Rename');
    rename.focus();
    rename.click();
    await TestBed.inject(ApplicationRef).whenStable();
    expect(instance.form.controls.name.touched).toBe(true);
    expect(surface.querySelectorAll('.mat-form-field-invalid')).toHaveLength(1);
    expect(document.activeElement).toBe(input);
  });

  it('shows a progress bar and marks the content busy while working', async () => {
    const { surface, instance } = await open(FormDialog);
    expect(queryAllByRole(surface, 'progressbar')).toHaveLength(0);
    instance.busy.set(true);
    TestBed.tick();
    expect(getByRole(surface, 'progressbar', 'Working')).toBeTruthy();
    expect(surface.querySelector('mat-dialog-content')!.getAttribute('aria-busy')).toBe('true');
    expect(getByRole(surface, 'button', 'Rename').hasAttribute('disabled')).toBe(true);
  });

  it('announces an error under the content', async () => {
    const { surface, instance } = await open(FormDialog);
    expect(queryAllByRole(surface, 'alert')).toHaveLength(0);
    instance.error.set('The name is taken.');
    TestBed.tick();
    expect(getByRole(surface, 'alert').textContent?.trim()).toBe('The name is taken.');
  });

  it('never lets a form-less dialog submit (no navigation)', async () => {
    const { surface } = await open(PlainDialog);
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    surface.querySelector('form')!.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    expect(getByRole(surface, 'button', 'Done').closest('mat-dialog-actions')).not.toBeNull();
  });
});
