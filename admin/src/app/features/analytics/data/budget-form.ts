import {
  AbstractControl,
  FormControl,
  FormGroup,
  ValidationErrors,
  ValidatorFn,
  Validators,
} from '@angular/forms';
import { Budget, BudgetSettings } from './analytics.types';

/** The warning thresholds a new budget starts with (percent of the monthly limit). */
export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 100];
export const MAX_THRESHOLDS = 10;
/** A warning past the limit (e.g. 150 %) is allowed: useful without the hard stop. */
export const MAX_THRESHOLD = 1000;
export const MAX_MONTHLY_LIMIT_USD = 10_000_000;

/** A typed threshold ("75", "75 %", "75%") as a whole percent 1..MAX_THRESHOLD, or null when it is not one. */
export function parseThreshold(text: string): number | null {
  const match = /^\s*(\d{1,4})\s*%?\s*$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  return value >= 1 && value <= MAX_THRESHOLD ? value : null;
}

/** The list with the value added once, ascending (the order warnings fire in). */
export function addThreshold(thresholds: readonly number[], value: number): number[] {
  return [...new Set([...thresholds, value])].sort((a, b) => a - b);
}

export function removeThreshold(thresholds: readonly number[], value: number): number[] {
  return thresholds.filter((t) => t !== value);
}

/** One to MAX_THRESHOLDS whole percents in 1..MAX_THRESHOLD, no duplicates. */
export const thresholdsValidator: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = control.value as unknown;
  if (!Array.isArray(value) || value.length === 0) return { required: true };
  if (value.length > MAX_THRESHOLDS) return { tooMany: { max: MAX_THRESHOLDS } };
  if (value.some((v) => !Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_THRESHOLD))
    return { range: true };
  if (new Set(value).size !== value.length) return { duplicate: true };
  return null;
};

/** Dollars with at most two decimals. */
export const centsValidator: ValidatorFn = (control: AbstractControl): ValidationErrors | null => {
  const value = control.value as unknown;
  if (value === null || value === '' || value === undefined) return null;
  return typeof value === 'number' && Math.round(value * 100) === value * 100 ? null : { cents: true };
};

export type BudgetForm = FormGroup<{
  monthlyLimitUsd: FormControl<number | null>;
  thresholds: FormControl<number[]>;
  hardStop: FormControl<boolean>;
  monthlyReport: FormControl<boolean>;
}>;

export function budgetForm(): BudgetForm {
  return new FormGroup({
    monthlyLimitUsd: new FormControl<number | null>(null, [
      Validators.required,
      Validators.min(0.01),
      Validators.max(MAX_MONTHLY_LIMIT_USD),
      centsValidator,
    ]),
    thresholds: new FormControl<number[]>([...DEFAULT_THRESHOLDS], {
      nonNullable: true,
      validators: thresholdsValidator,
    }),
    hardStop: new FormControl(false, { nonNullable: true }),
    monthlyReport: new FormControl(false, { nonNullable: true }),
  });
}

/** Fills the form from the saved budget (a budget never set has no limit and the default thresholds). */
export function fillBudgetForm(form: BudgetForm, budget: Budget | null): void {
  form.reset({
    monthlyLimitUsd: budget?.monthlyLimitUsd || null,
    thresholds: budget?.thresholds.length ? [...budget.thresholds] : [...DEFAULT_THRESHOLDS],
    hardStop: budget?.hardStop ?? false,
    monthlyReport: budget?.monthlyReport ?? false,
  });
}

/** The `PUT /budget` body of a valid form, thresholds ascending. */
export function budgetSettings(form: BudgetForm): BudgetSettings {
  const v = form.getRawValue();
  return {
    monthlyLimitUsd: v.monthlyLimitUsd ?? 0,
    thresholds: [...v.thresholds].sort((a, b) => a - b),
    hardStop: v.hardStop,
    monthlyReport: v.monthlyReport,
  };
}

/** The message under the limit field for its first error. */
export function limitError(control: AbstractControl): string | null {
  const e = control.errors;
  if (!e) return null;
  if (e['server']) return String(e['server']);
  if (e['required']) return 'Enter a monthly limit';
  if (e['min']) return 'The limit must be at least $0.01';
  if (e['max']) return `The limit can be at most $${MAX_MONTHLY_LIMIT_USD.toLocaleString('en-US')}`;
  if (e['cents']) return 'Use at most two decimals';
  return 'Enter an amount in US dollars';
}

export function thresholdsError(control: AbstractControl): string | null {
  const e = control.errors;
  if (!e) return null;
  if (e['server']) return String(e['server']);
  if (e['required']) return 'Add at least one threshold';
  if (e['tooMany']) return `At most ${MAX_THRESHOLDS} thresholds`;
  if (e['range']) return `Thresholds are whole percents from 1 to ${MAX_THRESHOLD}`;
  if (e['duplicate']) return 'Each threshold once';
  return null;
}
