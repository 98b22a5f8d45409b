import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect } from '@angular/material/select';

/** One choice of a panel control, e.g. `{ value: 'cost', label: 'Cost' }` (`dashboard-state.ts`). */
export interface PanelOption<T> {
  value: T;
  label: string;
}

/**
 * A compact select among a dashboard panel's controls (`[pvChartControls]` of `pv-chart-panel`):
 * `<pv-panel-select label="Metric" [options]="metrics" [value]="state().metric" (valueChange)="…" />`.
 * With `noneLabel` it offers a first choice for `null` (e.g. "Group by: Nothing").
 */
@Component({
  selector: 'pv-panel-select',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormField, MatLabel, MatSelect, MatOption],
  template: `
    <mat-form-field subscriptSizing="dynamic" class="control">
      <mat-label>{{ label() }}</mat-label>
      <mat-select [value]="value()" (valueChange)="valueChange.emit($event)">
        @if (noneLabel(); as none) {
          <mat-option [value]="null">{{ none }}</mat-option>
        }
        @for (option of options(); track option.value) {
          <mat-option [value]="option.value">{{ option.label }}</mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
  styles: `
    .control {
      width: 9rem;
    }
  `,
})
export class PanelSelect<T> {
  readonly label = input.required<string>();
  readonly options = input.required<readonly PanelOption<T>[]>();
  readonly value = input.required<T | null>();
  /** The label of a first `null` choice; no such choice without it. */
  readonly noneLabel = input<string | null>(null);
  readonly valueChange = output<T>();
}
