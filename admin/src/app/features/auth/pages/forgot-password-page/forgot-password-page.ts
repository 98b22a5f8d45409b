import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, Validators } from '@angular/forms';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { AccountStore } from '../../data/account.store';
import { AUTH_FORM_IMPORTS } from '../auth-form-imports';

/** Asks for a reset link; the answer never says whether the account exists. */
@Component({
  selector: 'pv-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AUTH_FORM_IMPORTS],
  template: `
    <mat-card class="card" appearance="outlined">
      <mat-card-content>
        <h1 class="card-title">Reset your password</h1>
        @if (sentTo(); as email) {
          <div class="notice" role="status">
            <mat-icon svgIcon="mail" aria-hidden="true" />
            <p>
              If an account exists for <strong>{{ email }}</strong>, we sent it a link to choose a new
              password. The link works once, for one hour.
            </p>
          </div>
        } @else {
          <p class="lead">Enter your e-mail address and we will send you a link to choose a new password.</p>
          <form class="fields" [formGroup]="form" (ngSubmit)="submit()" aria-label="Request password reset">
            <mat-form-field>
              <mat-label>E-mail</mat-label>
              <input matInput type="email" formControlName="email" autocomplete="email" required />
              @if (form.controls.email.hasError('required')) {
                <mat-error>Enter your e-mail address</mat-error>
              } @else if (form.controls.email.hasError('email')) {
                <mat-error>Enter a valid e-mail address</mat-error>
              } @else if (form.controls.email.hasError('server')) {
                <mat-error>{{ form.controls.email.getError('server') }}</mat-error>
              }
            </mat-form-field>
            <div class="actions">
              <span></span>
              <button mat-flat-button type="submit" [disabled]="submitting()">Send reset link</button>
            </div>
          </form>
        }
        <div class="links"><a routerLink="/sign-in">Back to sign in</a></div>
      </mat-card-content>
    </mat-card>
  `,
  styleUrl: '../auth-page.scss',
})
export class ForgotPasswordPage {
  private readonly account = inject(AccountStore);
  protected readonly submitting = signal(false);
  protected readonly sentTo = signal<string | null>(null);
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const email = this.form.getRawValue().email.trim();
    this.submitting.set(true);
    try {
      await this.account.forgotPassword(email);
      this.sentTo.set(email);
    } catch (error) {
      this.submitting.set(false);
      applyFieldErrors(this.form, error);
    }
  }
}
