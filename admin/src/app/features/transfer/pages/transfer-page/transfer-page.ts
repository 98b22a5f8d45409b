import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { MatOption, MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { DataTable } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { TRANSFER_ERRORS } from '../../data/transfer-errors';
import { DuplicateStrategy, ExportFormat, ExportView } from '../../data/transfer.api';
import { TransferStore } from '../../data/transfer.store';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

const FALLBACK = 'Something went wrong. Please try again.';
const ACCEPT = '.csv,.json,.md,.markdown,.zip';

/**
 * Import and export. Import: drop or choose a file (CSV, prompt-vault JSON, Markdown, zip), read
 * the preview (errors per row, duplicates, variables, what the plan allows), choose what happens to
 * duplicates, a collection and tags, commit, follow the progress bar, read the summary and download
 * the error file. Export: everything you can see as JSON, CSV or Markdown, and your recent exports
 * with their download links until they expire.
 */
@Component({
  selector: 'pv-transfer-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
    DatePipe,
    DecimalPipe,
    ReactiveFormsModule,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatInput,
    MatIcon,
    MatProgressBar,
    MatRadioGroup,
    MatRadioButton,
    MatSelect,
    MatOption,
    MatTableModule,
    DataTable,
    EmptyState,
    ActionError,
  ],
  providers: [TransferStore],
  templateUrl: './transfer-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './transfer-page.scss'],
})
export class TransferPage {
  protected readonly store = inject(TransferStore);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly accept = ACCEPT;
  protected readonly actionError = signal<string | null>(null);
  protected readonly dragging = signal(false);
  protected readonly previewColumns = ['row', 'slug', 'title', 'action', 'errors'];
  protected readonly exportColumns = ['createdAt', 'format', 'status', 'count', 'download'];

  protected readonly options = new FormGroup({
    onDuplicate: new FormControl<DuplicateStrategy>('skip', { nonNullable: true }),
    tags: new FormControl('', { nonNullable: true }),
  });
  protected readonly exportFormat = new FormControl<ExportFormat>('json', { nonNullable: true });

  protected onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    const file = event.dataTransfer?.files?.[0];
    if (file) void this.upload(file);
  }

  protected onPick(input: HTMLInputElement): void {
    const file = input.files?.[0];
    input.value = '';
    if (file) void this.upload(file);
  }

  protected upload(file: File): Promise<void> {
    return this.run(`Could not upload ${file.name}`, () => this.store.upload(file));
  }

  protected commit(): Promise<void> {
    const { onDuplicate, tags } = this.options.getRawValue();
    const list = tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    return this.run('Could not start the import', () =>
      this.store.commit({ onDuplicate, ...(list.length ? { tags: list } : {}) }),
    );
  }

  protected downloadErrors(): Promise<void> {
    return this.run('Could not download the error file', () => this.store.downloadErrors());
  }

  protected exportAll(): Promise<void> {
    return this.run('Could not start the export', async () => {
      await this.store.startExport({ format: this.exportFormat.value });
      this.snackBar.open('Export started', undefined, { duration: 3000 });
    });
  }

  protected download(item: ExportView): Promise<void> {
    return this.run('Could not download the export', () => this.store.download(item));
  }

  protected describeErrors(errors: { field: string; message: string }[]): string {
    return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  }

  private async run(what: string, work: () => Promise<unknown>): Promise<void> {
    this.actionError.set(null);
    try {
      await work();
    } catch (error) {
      this.actionError.set(`${what}: ${describeFailure(error, TRANSFER_ERRORS, FALLBACK)}`);
    }
  }
}
