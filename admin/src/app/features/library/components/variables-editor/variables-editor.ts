import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { PromptVariable, VariableType } from '../../data/library.types';

/** "a, b" → ["a", "b"] (distinct, trimmed). */
export function parseOptions(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ];
}

/** The typed default the API expects; blank means no default. */
export function parseDefault(variable: PromptVariable, text: string): PromptVariable['defaultValue'] {
  const value = text.trim();
  if (value === '') return undefined;
  if (variable.type === 'number') {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (variable.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return text;
}

/**
 * One row per `{{placeholder}}` in the content: type, required, default, options (select) and a
 * description. Rows follow the content; editing emits the changed declaration.
 */
@Component({
  selector: 'pv-variables-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatCheckbox, MatFormField, MatHint, MatInput, MatLabel, MatOption, MatSelect],
  template: `
    @for (variable of variables(); track variable.name) {
      <fieldset class="variable">
        <legend>
          <code>{{ '{{' }}{{ variable.name }}{{ '}}' }}</code>
        </legend>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Type of {{ variable.name }}</mat-label>
          <mat-select [value]="variable.type" (valueChange)="changeType(variable, $event)">
            <mat-option value="text">Text</mat-option>
            <mat-option value="number">Number</mat-option>
            <mat-option value="boolean">Yes / no</mat-option>
            <mat-option value="select">Choice</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Default for {{ variable.name }}</mat-label>
          <input
            matInput
            [value]="variable.defaultValue ?? ''"
            (input)="emit(variable, { defaultValue: parseDefault(variable, $any($event.target).value) })"
          />
        </mat-form-field>
        @if (variable.type === 'select') {
          <mat-form-field subscriptSizing="dynamic" class="wide">
            <mat-label>Options for {{ variable.name }}</mat-label>
            <input
              matInput
              [value]="(variable.options ?? []).join(', ')"
              (change)="emit(variable, { options: parse($any($event.target).value) })"
            />
            <mat-hint>Comma-separated; a choice needs at least one</mat-hint>
          </mat-form-field>
        }
        <mat-form-field subscriptSizing="dynamic" class="wide">
          <mat-label>Description of {{ variable.name }}</mat-label>
          <input
            matInput
            [value]="variable.description ?? ''"
            (input)="emit(variable, { description: $any($event.target).value || undefined })"
          />
        </mat-form-field>
        <mat-checkbox [checked]="variable.required" (change)="emit(variable, { required: $event.checked })">
          Required
        </mat-checkbox>
      </fieldset>
    } @empty {
      <p class="muted">
        Write <code>{{ '{{' }}name{{ '}}' }}</code> in the prompt to add a variable; it appears here to
        configure.
      </p>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 0.75rem;
    }
    .variable {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 0.5rem;
      align-items: center;
      margin: 0;
      padding: 0.5rem 0.75rem 0.75rem;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
    }
    legend {
      padding: 0 0.25rem;
      color: var(--mat-sys-primary);
    }
    .wide {
      grid-column: 1 / -1;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      margin: 0;
    }
  `,
})
export class VariablesEditor {
  readonly variables = input.required<PromptVariable[]>();
  readonly variableChange = output<PromptVariable>();
  protected readonly parse = parseOptions;
  protected readonly parseDefault = parseDefault;

  protected emit(variable: PromptVariable, patch: Partial<PromptVariable>): void {
    this.variableChange.emit({ ...variable, ...patch });
  }

  protected changeType(variable: PromptVariable, type: VariableType): void {
    this.emit(variable, {
      type,
      options: type === 'select' ? (variable.options ?? []) : undefined,
      defaultValue: undefined,
    });
  }
}
