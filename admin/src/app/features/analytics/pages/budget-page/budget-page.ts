import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import {
  MatChipGrid,
  MatChipInput,
  MatChipInputEvent,
  MatChipRemove,
  MatChipRow,
} from '@angular/material/chips';
import { MatError, MatFormField, MatHint, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { RouterLink } from '@angular/router';
import { CollectionBudgets } from '../../components/collection-budgets/collection-budgets';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { applyFieldErrors } from '../../../../core/http/form-errors';
import { SessionStore } from '../../../../core/session/session.store';
import {
  addThreshold,
  budgetForm,
  budgetSettings,
  fillBudgetForm,
  limitError,
  MAX_THRESHOLD,
  parseThreshold,
  removeThreshold,
  thresholdsError,
} from '../../data/budget-form';
import { BudgetStore } from '../../data/budget.store';
import { formatPercent, formatUsd } from '../../data/format';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

const GENERIC_FAILURE = 'The budget could not be saved. Please try again.';

/**
 * `/analytics/budget` (OWNER, ADMIN): the organization's monthly budget — limit, warning
 * thresholds (e-mailed once each per month and shown as a banner), the hard stop that refuses
 * playground and API runs once the budget is spent — and this month's spending against it.
 */
@Component({
  selector: 'pv-budget-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
    ReactiveFormsModule,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatPrefix,
    MatInput,
    MatChipGrid,
    MatChipRow,
    MatChipRemove,
    MatChipInput,
    MatSlideToggle,
    MatProgressBar,
    CollectionBudgets,
  ],
  providers: [BudgetStore],
  templateUrl: './budget-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './budget-page.scss'],
})
export class BudgetPage {
  protected readonly store = inject(BudgetStore);
  private readonly session = inject(SessionStore);

  protected readonly form = budgetForm();
  protected readonly formatUsd = formatUsd;
  protected readonly formatPercent = formatPercent;
  /** What was typed into the thresholds field and refused. */
  protected readonly typedError = signal<string | null>(null);
  protected readonly saved = signal(false);

  /** This month's spending as a share of the limit, for the progress bar (capped at 100). */
  protected readonly progress = computed(() => Math.min(100, Math.max(0, this.store.budget()?.percent ?? 0)));
  protected readonly hasLimit = computed(() => !!this.store.budget()?.monthlyLimitUsd);

  constructor() {
    // Load again when the organization changes (the switcher).
    effect(() => {
      if (!this.session.organizationId()) return;
      untracked(() => void this.store.load().then(() => fillBudgetForm(this.form, this.store.budget())));
    });
  }

  protected limitError(): string | null {
    return limitError(this.form.controls.monthlyLimitUsd);
  }

  protected thresholdsError(): string | null {
    return thresholdsError(this.form.controls.thresholds);
  }

  protected addThreshold(event: MatChipInputEvent): void {
    const text = event.value.trim();
    if (!text) return;
    const value = parseThreshold(text);
    if (value === null) {
      this.typedError.set(`“${text}” is not a whole percent from 1 to ${MAX_THRESHOLD}`);
      return;
    }
    this.typedError.set(null);
    const control = this.form.controls.thresholds;
    control.setValue(addThreshold(control.value, value));
    control.markAsDirty();
    event.chipInput.clear();
  }

  protected removeThreshold(value: number): void {
    const control = this.form.controls.thresholds;
    control.setValue(removeThreshold(control.value, value));
    control.markAsDirty();
    control.markAsTouched();
  }

  protected async save(): Promise<void> {
    this.saved.set(false);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const ok = await this.store.save(budgetSettings(this.form));
    if (ok) {
      fillBudgetForm(this.form, this.store.budget());
      this.saved.set(true);
    } else {
      applyFieldErrors(this.form, this.store.saveError());
    }
  }

  protected failure(error: unknown): string | null {
    return error ? describeFailure(error, {}, GENERIC_FAILURE) : null;
  }
}
