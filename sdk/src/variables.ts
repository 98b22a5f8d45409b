import type { FieldError, VariableDefinition } from './types.js';

/**
 * The server's variable rules (backend/src/modules/prompts/variables.ts), ported so that an
 * application renders locally exactly what `POST /prompts/:id/render` would answer. The backend
 * cannot import this package (its build is rooted in backend/src), so the logic is kept in step by
 * tests: test/variables.test.ts runs both implementations on the same inputs, and the integration
 * suite compares with the running server's render endpoint.
 *
 * Syntax: `{{name}}` where name is letters, digits, `_` and `.` (whitespace inside the braces is
 * allowed: `{{ name }}`). `{{{{` is an escaped, literal `{{`. Any other `{{` is literal text.
 */

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
    segments.push({ kind: 'variable', name: match[1]! });
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

/** Coerces a value (JSON or form strings) to the variable's type, or says why not. */
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
  /** `[{field: "variables.<name>", message}]`, empty when every variable resolved. */
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
  variables: readonly VariableDefinition[],
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
    if (error !== undefined) errors.push({ field: `variables.${v.name}`, message: `${v.name} ${error}` });
    else resolved.set(v.name, value!);
  }
  // A placeholder without a definition (older data) renders what was given, else stays an error.
  const rendered = parseTemplate(content)
    .map((s) => {
      if (s.kind === 'text') return s.text;
      const done = resolved.get(s.name);
      if (done !== undefined) return done;
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
