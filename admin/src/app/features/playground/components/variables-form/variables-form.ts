import { ChangeDetectionStrategy, Component, effect, input, output } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormRecord, ReactiveFormsModule, ValidatorFn, Validators } from '@angular/forms';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import type { PromptVariable } from '../../../library/data/library.types';
import type { VariableValues } from '../../../library/data/variables';

type VariableValue = string | number | boolean | null;

/**
 * A form generated from a prompt's variables: text and number inputs, a checkbox for booleans,
 * a select for `select` variables; required ones are marked and validated. Emits the values on
 * every change; `errors` shows the server's messages per variable (422 `prompt_variables_invalid`).
 */
@Component({
  selector: 'pv-variables-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    MatCheckbox,
    MatError,
    MatFormField,
    MatHint,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  template: `
    <div class="fields" role="group" aria-label="Variables">
      @for (variable of variables(); track variable.name) {
        @switch (variable.type) {
          @case ('boolean') {
            <mat-checkbox [formControl]="control(variable)">{{ variable.name }}</mat-checkbox>
          }
          @case ('select') {
            <mat-form-field>
              <mat-label>{{ variable.name }}</mat-label>
              <mat-select [formControl]="control(variable)" [required]="isRequired(variable)">
                <mat-option [value]="null">—</mat-option>
                @for (option of variable.options ?? []; track option) {
                  <mat-option [value]="option">{{ option }}</mat-option>
                }
              </mat-select>
              @if (errors()[variable.name]; as message) {
                <mat-hint class="field-error">{{ message }}</mat-hint>
              } @else if (hintFor(variable); as hint) {
                <mat-hint>{{ hint }}</mat-hint>
              }
              <mat-error>{{ variable.name }} is required</mat-error>
            </mat-form-field>
          }
          @default {
            <mat-form-field>
              <mat-label>{{ variable.name }}</mat-label>
              <input
                matInput
                [type]="variable.type === 'number' ? 'number' : 'text'"
                [required]="isRequired(variable)"
                [formControl]="control(variable)"
                [attr.data-variable]="variable.name"
              />
              @if (errors()[variable.name]; as message) {
                <mat-hint class="field-error">{{ message }}</mat-hint>
              } @else if (hintFor(variable); as hint) {
                <mat-hint>{{ hint }}</mat-hint>
              }
              <mat-error>{{ variable.name }} is required</mat-error>
            </mat-form-field>
          }
        }
      } @empty {
        <p class="none">This prompt has no variables.</p>
      }
    </div>
  `,
  styles: `
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
      gap: 0 1rem;
      align-items: start;
    }
    .none {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .field-error {
      color: var(--mat-sys-error);
    }
  `,
})
export class VariablesForm {
  readonly variables = input.required<PromptVariable[]>();
  /** Server messages by variable name. */
  readonly errors = input<Record<string, string>>({});
  readonly valuesChange = output<VariableValues>();

  protected readonly form = new FormRecord<FormControl<VariableValue>>({});

  constructor() {
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.valuesChange.emit(this.current()));
    // Controls of variables the source no longer has are dropped, so their values are not sent.
    effect(() => {
      const names = new Set(this.variables().map((v) => v.name));
      let removed = false;
      for (const name of Object.keys(this.form.controls)) {
        if (!names.has(name)) {
          this.form.removeControl(name, { emitEvent: false });
          removed = true;
        }
      }
      if (removed) this.valuesChange.emit(this.current());
    });
  }

  /** A variable with a default is filled by the server when left empty. */
  protected isRequired(variable: PromptVariable): boolean {
    return variable.required && (variable.defaultValue === undefined || variable.defaultValue === '');
  }

  protected hintFor(variable: PromptVariable): string {
    const parts = [variable.description ?? ''];
    if (variable.defaultValue !== undefined && variable.defaultValue !== '') {
      parts.push(`Default: ${String(variable.defaultValue)}`);
    }
    return parts.filter(Boolean).join(' · ');
  }

  /** The control of a variable, created when its field is first shown (silently: empty changes nothing). */
  protected control(variable: PromptVariable): FormControl<VariableValue> {
    let control = this.form.controls[variable.name];
    if (!control) {
      const validators: ValidatorFn[] = this.isRequired(variable)
        ? [variable.type === 'boolean' ? Validators.nullValidator : Validators.required]
        : [];
      control = new FormControl<VariableValue>(
        variable.type === 'boolean' ? variable.defaultValue === true : null,
        validators,
      );
      this.form.addControl(variable.name, control, { emitEvent: false });
    }
    return control;
  }

  private current(): VariableValues {
    return this.form.getRawValue();
  }
}
