import { PromptVariable } from './library.types';

/**
 * `{{name}}` placeholders as the API reads them: letters, digits, `_` and `.`, optional
 * whitespace inside the braces; `{{{{` is an escaped literal `{{`. One regex for both so a
 * scan never mistakes the tail of an escape for a placeholder.
 */
export const PLACEHOLDER_PATTERN = /\{\{\{\{|\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export interface PlaceholderMatch {
  name: string;
  from: number;
  to: number;
}

/** Every placeholder with its position (escapes skipped), in document order. */
export function findPlaceholders(content: string): PlaceholderMatch[] {
  const found: PlaceholderMatch[] = [];
  for (const match of content.matchAll(new RegExp(PLACEHOLDER_PATTERN.source, 'g'))) {
    const name = match[1];
    if (name === undefined) continue;
    found.push({ name, from: match.index, to: match.index + match[0].length });
  }
  return found;
}

/** Distinct placeholder names in order of first use. */
export function extractVariableNames(content: string): string[] {
  return [...new Set(findPlaceholders(content).map((m) => m.name))];
}

/**
 * The variables panel of the editor: one row per placeholder in the content, keeping what was
 * declared for it; new placeholders start as required text like on the server. Declarations
 * the content no longer uses are returned separately (the API refuses them).
 */
export function syncVariables(
  content: string,
  declared: readonly PromptVariable[],
): { variables: PromptVariable[]; unused: string[] } {
  const names = extractVariableNames(content);
  const byName = new Map(declared.map((v) => [v.name, v]));
  return {
    variables: names.map((name) => byName.get(name) ?? { name, type: 'text', required: true }),
    unused: declared.filter((v) => !names.includes(v.name)).map((v) => v.name),
  };
}

export type VariableValues = Record<string, string | number | boolean | null | undefined>;

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Client-side preview of a render: values (else defaults) replace their placeholders without
 * HTML escaping, `{{{{` becomes `{{`, and placeholders without a value stay visible so the
 * author sees what is missing. `POST /prompts/:id/render` is the authoritative render.
 */
export function renderPreview(
  content: string,
  variables: readonly PromptVariable[],
  values: VariableValues,
): { text: string; missing: string[] } {
  const defaults = new Map(variables.map((v) => [v.name, v.defaultValue]));
  const missing = new Set<string>();
  const text = content.replace(new RegExp(PLACEHOLDER_PATTERN.source, 'g'), (whole, name?: string) => {
    if (name === undefined) return '{{';
    const value = isBlank(values[name]) ? defaults.get(name) : values[name];
    if (isBlank(value)) {
      missing.add(name);
      return whole;
    }
    return String(value);
  });
  return { text, missing: [...missing] };
}

/** Values typed in the form converted to what the API expects for each variable type. */
export function coerceValues(
  variables: readonly PromptVariable[],
  raw: VariableValues,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const variable of variables) {
    const value = raw[variable.name];
    if (isBlank(value)) continue;
    if (variable.type === 'number') {
      const n = typeof value === 'number' ? value : Number(value);
      result[variable.name] = Number.isFinite(n) ? n : value;
    } else if (variable.type === 'boolean') {
      result[variable.name] = value === true || value === 'true';
    } else {
      result[variable.name] = value;
    }
  }
  return result;
}
