import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { ALL_EVENTS, EVENT_GROUPS } from '../../data/webhook-events';
import { WEBHOOK_ERRORS } from '../../data/webhooks-errors';
import { WebhookEndpoint, WebhookEventType } from '../../data/webhooks.api';
import { WebhooksStore } from '../../data/webhooks.store';

const atLeastOne = (group: AbstractControl): ValidationErrors | null =>
  Object.values((group as FormGroup).controls).some((c) => c.value === true) ? null : { required: true };

/**
 * Registers a webhook endpoint: URL, description and the events it receives, grouped. The secret
 * the server answers with is shown on the page (once) after the dialog closes. Opened by the
 * webhooks page with its injector: it creates through the page's store.
 */
@Component({
  selector: 'pv-webhook-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatCheckbox,
    MatButton,
  ],
  templateUrl: './webhook-dialog.html',
  styles: `
    fieldset {
      margin: 0 0 0.75rem;
      padding: 0;
      border: 0;
    }
    legend {
      font: var(--mat-sys-title-small);
      margin-bottom: 0.25rem;
    }
    .events {
      display: flex;
      flex-wrap: wrap;
      gap: 0 1rem;
    }
    .events-error {
      margin: 0 0 0.75rem;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
  `,
})
export class WebhookDialog {
  protected readonly dialogRef = inject<MatDialogRef<WebhookDialog, WebhookEndpoint>>(MatDialogRef);
  private readonly store = inject(WebhooksStore);
  protected readonly groups = EVENT_GROUPS;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    url: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(2000), Validators.pattern(/^https?:\/\/\S+$/i)],
    }),
    description: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(500)] }),
    events: new FormGroup(
      Object.fromEntries(ALL_EVENTS.map((type) => [type, new FormControl(false, { nonNullable: true })])),
      { validators: atLeastOne },
    ),
  });

  protected eventControl(type: WebhookEventType): FormControl<boolean> {
    return this.form.controls.events.controls[type];
  }

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { url, description, events } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      const endpoint = await this.store.create({
        url: url.trim(),
        events: ALL_EVENTS.filter((type) => events[type]),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      this.dialogRef.close(endpoint);
    } catch (error) {
      this.error.set(applyFailure(this.form, error, WEBHOOK_ERRORS, 'The endpoint could not be added.'));
    } finally {
      this.saving.set(false);
    }
  }
}
