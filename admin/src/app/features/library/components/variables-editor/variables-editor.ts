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
  templateUrl: './variables-editor.html',
  styleUrl: './variables-editor.scss',
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
