import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { provideNativeDateAdapter } from '@angular/material/core';
import {
  MatDatepickerToggle,
  MatDateRangeInput,
  MatDateRangePicker,
  MatEndDate,
  MatStartDate,
} from '@angular/material/datepicker';
import { MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatTooltip } from '@angular/material/tooltip';
import { RANGE_PRESETS, RangePreset, rangeError } from '../../data/dashboard-state';

export type RangeChange = { preset: Exclude<RangePreset, 'custom'> } | { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day the user picked (the picker's Date is local midnight) as `YYYY-MM-DD`. */
export function pickedDay(date: Date | null): string | null {
  if (!date || Number.isNaN(date.getTime())) return null;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `YYYY-MM-DD` as the local-midnight Date the picker shows for that day. */
export function dayToPicker(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/**
 * The dashboard's range: presets (last 7/30/90 days, this month, last month) and a date-range
 * picker for custom days. Emits a change only for a valid range (in order, not in the future,
 * at most MAX_SPAN_DAYS); days are UTC days, as the API counts them.
 */
@Component({
  selector: 'pv-range-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatFormField,
    MatLabel,
    MatHint,
    MatSuffix,
    MatDateRangeInput,
    MatStartDate,
    MatEndDate,
    MatDatepickerToggle,
    MatDateRangePicker,
    MatTooltip,
  ],
  providers: [provideNativeDateAdapter()],
  template: `
    <div class="range">
      <mat-button-toggle-group
        aria-label="Date range"
        hideSingleSelectionIndicator
        [value]="preset()"
        (change)="choosePreset($event.value)"
      >
        @for (p of presets; track p.value) {
          <mat-button-toggle [value]="p.value">{{ p.label }}</mat-button-toggle>
        }
      </mat-button-toggle-group>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label>Custom range</mat-label>
        <mat-date-range-input [formGroup]="form" [rangePicker]="picker" [max]="today()">
          <input matStartDate formControlName="start" placeholder="Start day" aria-label="Start day" />
          <input
            matEndDate
            formControlName="end"
            placeholder="End day"
            aria-label="End day"
            (dateChange)="customChanged()"
          />
        </mat-date-range-input>
        <mat-datepicker-toggle
          matIconSuffix
          [for]="picker"
          aria-label="Open the calendar"
          matTooltip="Open the calendar"
        />
        <mat-date-range-picker #picker />
        @if (error(); as message) {
          <mat-hint class="error" role="alert">{{ message }}</mat-hint>
        } @else {
          <mat-hint>UTC days</mat-hint>
        }
      </mat-form-field>
    </div>
  `,
  styles: `
    .range {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.75rem 1rem;
    }
    /* A phone fits three presets to a row: the rest wrap instead of being clipped by the group. */
    mat-button-toggle-group {
      flex-wrap: wrap;
      max-width: 100%;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
})
export class RangePicker {
  readonly preset = input.required<RangePreset>();
  readonly from = input.required<string>();
  readonly to = input.required<string>();
  /** Today, for the latest day the calendar offers. */
  readonly now = input<Date>(new Date());
  readonly rangeChange = output<RangeChange>();

  protected readonly presets = RANGE_PRESETS;
  protected readonly today = computed(() => {
    const now = this.now();
    return new Date(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  });
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });

  constructor() {
    // The fields always show the range in force (a preset fills them too).
    effect(() => {
      this.form.setValue(
        { start: dayToPicker(this.from()), end: dayToPicker(this.to()) },
        { emitEvent: false },
      );
      this.error.set(null);
    });
  }

  protected choosePreset(preset: Exclude<RangePreset, 'custom'>): void {
    this.rangeChange.emit({ preset });
  }

  protected customChanged(): void {
    const from = pickedDay(this.form.value.start ?? null);
    const to = pickedDay(this.form.value.end ?? null);
    if (!from || !to) return;
    const error = rangeError(from, to, this.now());
    this.error.set(error);
    if (error) return;
    if (from !== this.from() || to !== this.to() || this.preset() !== 'custom')
      this.rangeChange.emit({ from, to });
  }
}
