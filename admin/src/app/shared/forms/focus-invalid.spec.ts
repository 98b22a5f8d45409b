import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { FocusInvalid } from './focus-invalid';

@Component({
  selector: 'pv-test-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatInput, FocusInvalid],
  template: `
    <form [formGroup]="form" (ngSubmit)="submitted = submitted + 1">
      <mat-form-field><mat-label>Name</mat-label><input matInput formControlName="name" /></mat-form-field>
      <mat-form-field><mat-label>Email</mat-label><input matInput formControlName="email" /></mat-form-field>
      <button type="submit">Save</button>
    </form>
  `,
})
class TestForm {
  submitted = 0;
  readonly form = new FormGroup({
    name: new FormControl('Ada', { nonNullable: true, validators: [Validators.required] }),
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
  });
}

describe('FocusInvalid', () => {
  it('marks the fields invalid and focuses the first invalid one on an empty submit', async () => {
    const fixture = TestBed.createComponent(TestForm);
    document.body.append(fixture.nativeElement as HTMLElement);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const [, email] = Array.from(root.querySelectorAll('input'));
    root.querySelector('button')!.click();
    await fixture.whenStable();
    expect(fixture.componentInstance.form.controls.email.touched).toBe(true);
    expect(root.querySelectorAll('.mat-form-field-invalid')).toHaveLength(1);
    expect(email.classList).toContain('ng-invalid');
    expect(document.activeElement).toBe(email);
    (fixture.nativeElement as HTMLElement).remove();
  });
});
