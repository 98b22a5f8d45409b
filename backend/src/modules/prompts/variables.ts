import type { FieldError } from '../../common/errors/domain.exception';

/**
 * Prompt variables, pure and without I/O: parsing `{{name}}` placeholders, merging them with the
 * declared definitions on save, and rendering with type checks. Used by saves, render, test cases
 * and the runtime fetch alike, so all of them agree on what a placeholder is.
 *
 * Syntax: `{{name}}` where name is letters, digits, `_` and `.` (whitespace inside the braces is
 * allowed: `{{ name }}`). `{{{{` is an escaped, literal `{{`. Any other `{{` is literal text.
 */

export type VariableType = 'text' | 'number' | 'boolean' | 'select';
export const VARIABLE_TYPES: readonly VariableType[] = ['text', 'number', 'boolean', 'select'];
export const VARIABLE_NAME = /^[A-Za-z0-9_.]{1,100}$/;

export interface VariableDefinition {
  name: string;
  description?: string;
  type: VariableType;
  required: boolean;
  defaultValue?: string | number | boolean;
  options?: string[];
}

export interface PromptMetadata {
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

export type Segment = { kind: 'text'; text: string } | { kind: 'variable'; name: string };

const PLACEHOLDER = /\{\{[ \t\r\n]*([A-Za-z0-9_.]{1,100})[ \t\r\n]*\}\}/y;

/** Splits content into literal text and placeholders (escapes resolved). */
export function parseTemplate(content: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < content.length) {
    const open = content.indexOf('{{', i);
    if (open < 0) {
      text += content.slice(i);
      break;
    }
    text += content.slice(i, open);
    if (content.startsWith('{{{{', open)) {
      text += '{{';
      i = open + 4;
      continue;
    }
    PLACEHOLDER.lastIndex = open;
    const match = PLACEHOLDER.exec(content);
    if (!match) {
      text += '{{';
      i = open + 2;
      continue;
    }
    if (text) segments.push({ kind: 'text', text });
    text = '';
    segments.push({ kind: 'variable', name: match[1] });
    i = open + match[0].length;
  }
  if (text) segments.push({ kind: 'text', text });
  return segments;
}

/** Placeholder names in order of first use. */
export function extractVariables(content: string): string[] {
  const names = new Set<string>();
  for (const s of parseTemplate(content)) if (s.kind === 'variable') names.add(s.name);
  return [...names];
}

function fitsType(v: VariableDefinition, value: unknown): string | null {
  switch (v.type) {
    case 'text':
      return typeof value === 'string' ? null : 'must be a string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'select':
      return typeof value === 'string' && (v.options ?? []).includes(value)
        ? null
        : `must be one of: ${(v.options ?? []).join(', ')}`;
  }
}

/**
 * The variables a save stores: every placeholder of the content, in order of first use, with its
 * declaration if one was given, else `{type: text, required: true}`. Declarations the content never
 * uses, duplicates, selects without options, options on other types and defaults that do not fit
 * their type are reported as field errors (`variables[i].<prop>`), all at once.
 */
export function mergeVariables(
  content: string,
  declared: VariableDefinition[] = [],
): { variables: VariableDefinition[]; errors: FieldError[] } {
  const used = extractVariables(content);
  const errors: FieldError[] = [];
  const byName = new Map<string, VariableDefinition>();
  declared.forEach((d, i) => {
    const field = `variables[${i}]`;
    if (!VARIABLE_NAME.test(d.name)) {
      errors.push({ field: `${field}.name`, message: 'name may contain only letters, digits, _ and .' });
      return;
    }
    if (byName.has(d.name)) {
      errors.push({ field: `${field}.name`, message: `variable "${d.name}" is declared twice` });
      return;
    }
    if (!used.includes(d.name)) {
      errors.push({
        field: `${field}.name`,
        message: `variable "${d.name}" is declared but the content never uses {{${d.name}}}`,
      });
    }
    if (d.type === 'select') {
      if (!d.options?.length) errors.push({ field: `${field}.options`, message: 'a select needs options' });
      else if (new Set(d.options).size !== d.options.length)
        errors.push({ field: `${field}.options`, message: 'options must be unique' });
    } else if (d.options !== undefined) {
      errors.push({ field: `${field}.options`, message: 'options apply to select variables only' });
    }
    if (d.defaultValue !== undefined && d.defaultValue !== null) {
      const problem = fitsType(d, d.defaultValue);
      if (problem) errors.push({ field: `${field}.defaultValue`, message: `defaultValue ${problem}` });
    }
    byName.set(d.name, d);
  });
  const variables = used.map((name): VariableDefinition => {
    const d = byName.get(name);
    if (!d) return { name, type: 'text', required: true };
    const v: VariableDefinition = { name, type: d.type, required: d.required };
    if (d.description) v.description = d.description;
    if (d.defaultValue !== undefined && d.defaultValue !== null) v.defaultValue = d.defaultValue;
    if (d.type === 'select') v.options = d.options;
    return v;
  });
  return { variables, errors };
}

/** Coerces what a client sent (JSON or form strings) to the variable's type, or says why not. */
function coerce(v: VariableDefinition, value: unknown): { value?: string; error?: string } {
  switch (v.type) {
    case 'text':
      if (typeof value === 'string') return { value };
      if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
      return { error: 'must be a string' };
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n)
        ? { value: String(n) }
        : { error: 'must be a number' };
    }
    case 'boolean':
      if (value === true || value === 'true') return { value: 'true' };
      if (value === false || value === 'false') return { value: 'false' };
      return { error: 'must be true or false' };
    case 'select':
      return typeof value === 'string' && (v.options ?? []).includes(value)
        ? { value }
        : { error: `must be one of: ${(v.options ?? []).join(', ')}` };
  }
}

export interface RenderResult {
  rendered: string;
  errors: FieldError[];
}

/**
 * Substitutes values (no HTML escaping: prompts are plain text for models). A missing value takes
 * the default; a required variable without either, or a value of the wrong type, is an error
 * `variables.<name>`. Optional variables without a value render as an empty string. Values for
 * names the prompt does not have are ignored.
 */
export function renderTemplate(
  content: string,
  variables: VariableDefinition[],
  values: Record<string, unknown> = {},
): RenderResult {
  const resolved = new Map<string, string>();
  const errors: FieldError[] = [];
  for (const v of variables) {
    const given = Object.prototype.hasOwnProperty.call(values, v.name) ? values[v.name] : undefined;
    const raw = given === undefined || given === null || given === '' ? v.defaultValue : given;
    if (raw === undefined || raw === null || raw === '') {
      if (v.required) errors.push({ field: `variables.${v.name}`, message: `${v.name} is required` });
      else resolved.set(v.name, '');
      continue;
    }
    const { value, error } = coerce(v, raw);
    if (error) errors.push({ field: `variables.${v.name}`, message: `${v.name} ${error}` });
    else resolved.set(v.name, value!);
  }
  // A placeholder without a definition (older data) renders what was given, else stays an error.
  const rendered = parseTemplate(content)
    .map((s) => {
      if (s.kind === 'text') return s.text;
      if (resolved.has(s.name)) return resolved.get(s.name)!;
      const given = values[s.name];
      if (!variables.some((v) => v.name === s.name)) {
        if (typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean')
          return String(given);
        if (!errors.some((e) => e.field === `variables.${s.name}`))
          errors.push({ field: `variables.${s.name}`, message: `${s.name} is required` });
      }
      return '';
    })
    .join('');
  return { rendered, errors };
}
