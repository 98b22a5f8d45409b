import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatOption, MatSelect } from '@angular/material/select';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { categoryLabel } from '../../data/template-categories';
import { TEMPLATE_ERRORS } from '../../data/templates-errors';
import { CreatedPrompt, PromptTemplate, TemplateVariable } from '../../data/templates.api';
import { TemplatesStore } from '../../data/templates.store';

/**
 * A template in full: its content, variables and suggested model settings, with "Use template"
 * for those who may create prompts, with the collection the prompt goes to (the page's target,
 * changed here for both). Opened by the templates page with its injector (the page's
 * store); closes with the created prompt, which the page then opens.
 */
@Component({
  selector: 'pv-template-preview-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    Dialog,
    MatButton,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  templateUrl: './template-preview-dialog.html',
  styleUrl: './template-preview-dialog.scss',
})
export class TemplatePreviewDialog {
  protected readonly template = inject<PromptTemplate>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<TemplatePreviewDialog, CreatedPrompt>>(MatDialogRef);
  protected readonly store = inject(TemplatesStore);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly categoryLabel = categoryLabel;
  /** The target collection, shared with the page through the store (`null`: none). */
  protected readonly target = new FormControl<string | null>(this.store.targetCollection());

  constructor() {
    this.target.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe((id) => this.store.targetCollection.set(id));
  }

  protected describe(v: TemplateVariable): string {
    const parts: string[] = [v.type, v.required ? 'required' : 'optional'];
    if (v.options?.length) parts.push(`one of: ${v.options.join(', ')}`);
    if (v.defaultValue !== undefined) parts.push(`default: ${String(v.defaultValue)}`);
    return parts.join(' · ');
  }

  protected async use(): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      this.dialogRef.close(await this.store.use(this.template));
    } catch (error) {
      this.error.set(describeFailure(error, TEMPLATE_ERRORS, 'The prompt could not be created.'));
    } finally {
      this.busy.set(false);
    }
  }
}
