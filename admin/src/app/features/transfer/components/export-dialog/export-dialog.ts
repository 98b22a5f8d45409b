import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogClose } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { plural } from '../../../../shared/text/plural';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { ExportJobStore } from '../../data/export-job.store';
import { ExportScope, scopeRequest } from '../../data/export-scope';
import { TRANSFER_ERRORS } from '../../data/transfer-errors';
import { ExportFormat } from '../../data/transfer.api';

const FALLBACK = 'Something went wrong. Please try again.';

/** The dialog's heading and the sentence saying what the export holds. */
export function describeScope(scope: ExportScope): { heading: string; what: string } {
  switch (scope.kind) {
    case 'ids':
      return {
        heading: `Export ${plural(scope.ids.length, 'prompt')}`,
        what: `The ${scope.ids.length === 1 ? 'selected prompt' : `${scope.ids.length} selected prompts`}.`,
      };
    case 'collection':
      return {
        heading: `Export ${scope.name}`,
        what: `The prompts of ${scope.name} and of its sub-collections.`,
      };
    case 'search':
      return {
        heading: 'Export search results',
        what: `What this search finds (up to 10,000 prompts): ${scope.summary}.`,
      };
  }
}

/**
 * Exports a scope (selected prompts, a collection, a search) as JSON, CSV or a Markdown zip:
 * starts the export, follows it while it is made and offers the download. Private prompts of
 * others are never in it. Opened through `TransferExports.open`.
 */
@Component({
  selector: 'pv-export-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DecimalPipe,
    ReactiveFormsModule,
    RouterLink,
    Dialog,
    MatButton,
    MatCheckbox,
    MatDialogClose,
    MatFormField,
    MatIcon,
    MatLabel,
    MatOption,
    MatProgressBar,
    MatSelect,
  ],
  providers: [ExportJobStore],
  templateUrl: './export-dialog.html',
  styleUrl: './export-dialog.scss',
})
export class ExportDialog {
  protected readonly scope = inject<ExportScope>(MAT_DIALOG_DATA);
  protected readonly job = inject(ExportJobStore);
  protected readonly text = describeScope(this.scope);
  protected readonly error = signal<string | null>(null);

  protected readonly form = new FormGroup({
    format: new FormControl<ExportFormat>('json', { nonNullable: true }),
    includeVersions: new FormControl(true, { nonNullable: true }),
  });
  private readonly format = toSignal(this.form.controls.format.valueChanges, {
    initialValue: this.form.controls.format.value,
  });
  protected readonly isJson = computed(() => this.format() === 'json');
  protected readonly failure = computed(() => {
    const pollError = this.job.pollError();
    const job = this.job.job();
    if (pollError)
      return `Could not follow the export: ${describeFailure(pollError, TRANSFER_ERRORS, FALLBACK)}`;
    if (job?.status === 'failed') return `The export failed: ${job.error ?? FALLBACK}`;
    return this.error();
  });

  protected async start(): Promise<void> {
    if (this.job.running() || this.job.job()) return;
    const { format, includeVersions } = this.form.getRawValue();
    this.error.set(null);
    try {
      await this.job.start({
        format,
        ...scopeRequest(this.scope),
        ...(format === 'json' ? { includeVersions } : {}),
      });
      this.form.disable();
    } catch (error) {
      this.error.set(`Could not start the export: ${describeFailure(error, TRANSFER_ERRORS, FALLBACK)}`);
    }
  }

  protected async download(): Promise<void> {
    this.error.set(null);
    try {
      await this.job.download();
    } catch (error) {
      this.error.set(`Could not download the export: ${describeFailure(error, TRANSFER_ERRORS, FALLBACK)}`);
    }
  }
}
