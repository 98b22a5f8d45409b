import { PromptVariable } from './library.types';

/** The fields of a variable the versions tab compares, in column order. */
export const VARIABLE_FIELDS = ['type', 'required', 'defaultValue', 'options', 'description'] as const;
export type VariableField = (typeof VARIABLE_FIELDS)[number];

export const VARIABLE_FIELD_LABELS: Record<VariableField, string> = {
  type: 'Type',
  required: 'Required',
  defaultValue: 'Default',
  options: 'Options',
  description: 'Description',
};

export type VariableChange = 'added' | 'removed' | 'changed' | 'unchanged';

/** One field of one variable: its text in the older and the newer version (null: not there). */
export interface VariableCell {
  field: VariableField;
  before: string | null;
  after: string | null;
  changed: boolean;
}

export interface VariableRow {
  name: string;
  change: VariableChange;
  cells: VariableCell[];
}

/** A field as the table shows it; an unset optional field is an empty string. */
export function formatVariableField(variable: PromptVariable, field: VariableField): string {
  const value = variable[field];
  if (field === 'required') return value ? 'yes' : 'no';
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'string' && field === 'defaultValue') return JSON.stringify(value);
  return String(value);
}

/**
 * The variables of two versions as one row per variable name: the newer version's order first,
 * then the variables it removed. Each row says whether the variable was added, removed, changed
 * (at least one field differs) or unchanged, with both values of every field.
 */
export function diffVariables(
  before: readonly PromptVariable[],
  after: readonly PromptVariable[],
): VariableRow[] {
  const older = new Map(before.map((v) => [v.name, v]));
  const newer = new Map(after.map((v) => [v.name, v]));
  const names = [...after.map((v) => v.name), ...before.map((v) => v.name).filter((n) => !newer.has(n))];
  return names.map((name) => {
    const a = older.get(name) ?? null;
    const b = newer.get(name) ?? null;
    const cells = VARIABLE_FIELDS.map((field): VariableCell => {
      const beforeText = a ? formatVariableField(a, field) : null;
      const afterText = b ? formatVariableField(b, field) : null;
      return { field, before: beforeText, after: afterText, changed: !!a && !!b && beforeText !== afterText };
    });
    const change: VariableChange = !a
      ? 'added'
      : !b
        ? 'removed'
        : cells.some((c) => c.changed)
          ? 'changed'
          : 'unchanged';
    return { name, change, cells };
  });
}
