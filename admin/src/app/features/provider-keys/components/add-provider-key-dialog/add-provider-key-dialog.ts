import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialogRef } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { applyFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { PROVIDER_KEY_ERRORS } from '../../data/provider-keys-errors';
import { Provider, ProviderKey } from '../../data/provider-keys.api';
import { ProviderKeysStore } from '../../data/provider-keys.store';
import { providerInfo, PROVIDERS } from '../../data/providers';
import { registerProviderKeyIcons } from '../../provider-icons';

/**
 * Adds a provider key. The key is sent once and never shown again (only its last four
 * characters). Opened by the provider keys page with its injector: it adds through the page's store.
 */
@Component({
  selector: 'pv-add-provider-key-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSelect,
    MatOption,
    MatIcon,
    MatButton,
  ],
  templateUrl: './add-provider-key-dialog.html',
  styles: `
    .option {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
    }
  `,
})
export class AddProviderKeyDialog {
  protected readonly dialogRef = inject<MatDialogRef<AddProviderKeyDialog, ProviderKey>>(MatDialogRef);
  private readonly store = inject(ProviderKeysStore);
  protected readonly providers = PROVIDERS;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    provider: new FormControl<Provider>('openai', { nonNullable: true, validators: [Validators.required] }),
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(100)],
    }),
    apiKey: new FormControl('', {
      nonNullable: true,
      validators: [
        Validators.required,
        Validators.minLength(8),
        Validators.maxLength(4096),
        Validators.pattern(/^\S+$/),
      ],
    }),
    baseUrl: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(2000)] }),
  });

  private readonly provider = toSignal(this.form.controls.provider.valueChanges, {
    initialValue: this.form.controls.provider.value,
  });
  protected readonly selected = computed(() => providerInfo(this.provider()));

  constructor() {
    registerProviderKeyIcons();
    // The base URL is required only where there is no default endpoint (OpenAI-compatible).
    this.form.controls.provider.valueChanges.subscribe((provider) => {
      const baseUrl = this.form.controls.baseUrl;
      baseUrl.setValidators(
        providerInfo(provider).baseUrlRequired
          ? [Validators.required, Validators.maxLength(2000)]
          : [Validators.maxLength(2000)],
      );
      baseUrl.updateValueAndValidity();
    });
  }

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { provider, name, apiKey, baseUrl } = this.form.getRawValue();
    this.saving.set(true);
    this.error.set(null);
    try {
      const key = await this.store.create({
        provider,
        name: name.trim(),
        apiKey: apiKey.trim(),
        // Only OpenAI-compatible keys show the field; the others use the provider's endpoint.
        ...(providerInfo(provider).baseUrlRequired && baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
      });
      this.dialogRef.close(key);
    } catch (error) {
      this.error.set(
        applyFailure(this.form, error, PROVIDER_KEY_ERRORS, 'The provider key could not be added.'),
      );
    } finally {
      this.saving.set(false);
    }
  }
}
