import { ChangeDetectionStrategy, Component, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatChipListbox, MatChipOption } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressSpinner } from '@angular/material/progress-spinner';
import { MatOption, MatSelect } from '@angular/material/select';
import { Router } from '@angular/router';
import { filter } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { TemplatePreviewDialog } from '../../components/template-preview-dialog/template-preview-dialog';
import { TEMPLATE_CATEGORIES } from '../../data/template-categories';
import { TEMPLATE_ERRORS } from '../../data/templates-errors';
import { CreatedPrompt, PromptTemplate, TemplateCategory } from '../../data/templates.api';
import { TemplatesStore } from '../../data/templates.store';

/**
 * The starter template gallery: cards grouped by category, a category filter and a search box,
 * a preview dialog, and "Use template" (EDITOR and above), which creates the prompt (in the
 * collection picked under "New prompts go to", if any) and opens it.
 */
@Component({
  selector: 'pv-templates-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButton,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatChipListbox,
    MatChipOption,
    MatFormField,
    MatLabel,
    MatPrefix,
    MatInput,
    MatIcon,
    MatProgressSpinner,
    MatSelect,
    MatOption,
    EmptyState,
  ],
  providers: [TemplatesStore],
  templateUrl: './templates-page.html',
  styleUrl: './templates-page.scss',
})
export class TemplatesPage {
  protected readonly store = inject(TemplatesStore);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly categories = TEMPLATE_CATEGORIES;
  protected readonly search = new FormControl('', { nonNullable: true });
  /** The target collection of "Use template" (`null`: none). */
  protected readonly target = new FormControl<string | null>(this.store.targetCollection());
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    this.search.valueChanges
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((q) => this.store.query.set(q));
    this.target.valueChanges
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((id) => this.store.targetCollection.set(id));
  }

  protected selectCategory(category: TemplateCategory | null): void {
    this.store.category.set(category);
  }

  protected clearFilters(): void {
    this.search.setValue('');
    this.store.category.set(null);
  }

  protected preview(template: PromptTemplate): void {
    this.dialog
      .open<TemplatePreviewDialog, PromptTemplate, CreatedPrompt>(TemplatePreviewDialog, {
        data: template,
        width: '44rem',
        injector: this.injector,
      })
      .afterClosed()
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe((prompt) => void this.open(prompt));
  }

  protected async use(template: PromptTemplate): Promise<void> {
    this.actionError.set(null);
    try {
      await this.open(await this.store.use(template));
    } catch (error) {
      const reason = describeFailure(error, TEMPLATE_ERRORS, 'Something went wrong. Please try again.');
      this.actionError.set(`Could not use "${template.title}": ${reason}`);
    }
  }

  private open(prompt: CreatedPrompt): Promise<boolean> {
    return this.router.navigate(['/prompts', prompt.id]);
  }
}
