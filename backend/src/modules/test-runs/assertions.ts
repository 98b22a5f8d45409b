import Ajv, { ValidateFunction } from 'ajv';
import safeRegex from 'safe-regex2';
import type { FieldError } from '../../common/errors/domain.exception';

/**
 * Assertions of a test case: what a model's output must satisfy (docs/playground.md, "Test runs").
 * This file checks definitions when a test case is saved and applies them to outputs; it knows
 * nothing of Nest or the database, so the test cases' service and the test runner share it.
 */
export const ASSERTION_TYPES = [
  'contains',
  'not_contains',
  'regex',
  'valid_json',
  'json_schema',
  'max_length',
  'evaluator_min',
] as const;
export type AssertionType = (typeof ASSERTION_TYPES)[number];

export type Assertion =
  | { type: 'contains' | 'not_contains'; value: string }
  | { type: 'regex'; pattern: string; flags?: string }
  | { type: 'valid_json' }
  | { type: 'json_schema'; schema: Record<string, unknown> }
  | { type: 'max_length'; max: number }
  | { type: 'evaluator_min'; min: number };

export interface AssertionResult {
  type: AssertionType;
  passed: boolean;
  detail: string;
}

export const MAX_ASSERTIONS = 20;
export const MAX_PATTERN_LENGTH = 500;
/** Regular expressions run on at most this much output (bounded work whatever the pattern). */
export const MAX_REGEX_INPUT = 100_000;
export const MAX_SCHEMA_CHARS = 20_000;
export const EVALUATOR_SCALE = { min: 1, max: 5 } as const;
/** `g` and `y` make a RegExp stateful; `d` and `v` add nothing to a pass/fail test. */
export const REGEX_FLAGS = /^(?!.*(.).*\1)[imsu]{0,4}$/;

/** The members each type takes besides `type` (anything else is refused). */
const MEMBERS: Record<AssertionType, readonly string[]> = {
  contains: ['value'],
  not_contains: ['value'],
  regex: ['pattern', 'flags'],
  valid_json: [],
  json_schema: ['schema'],
  max_length: ['max'],
  evaluator_min: ['min'],
};
const REQUIRED: Record<AssertionType, readonly string[]> = {
  contains: ['value'],
  not_contains: ['value'],
  regex: ['pattern'],
  valid_json: [],
  json_schema: ['schema'],
  max_length: ['max'],
  evaluator_min: ['min'],
};

const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
/**
 * Compiled schemas by their JSON text, bounded so a busy server does not grow without end: an
 * evicted schema is removed from Ajv's own cache too.
 */
const compiled = new Map<string, { validate: ValidateFunction; schema: Record<string, unknown> }>();
const COMPILED_MAX = 500;

function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit) return hit.validate;
  const validate = ajv.compile(schema);
  if (compiled.size >= COMPILED_MAX) {
    const [oldestKey, oldest] = compiled.entries().next().value as [string, { schema: object }];
    compiled.delete(oldestKey);
    ajv.removeSchema(oldest.schema);
  }
  compiled.set(key, { validate, schema });
  return validate;
}

/**
 * Why a pattern cannot be used, or null: too long, not a JavaScript regular expression, or with
 * nested quantifiers that can backtrack catastrophically (`(a+)+`, star height > 1).
 */
export function patternProblem(pattern: string, flags = ''): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (!REGEX_FLAGS.test(flags)) return 'flags may only combine i, m, s and u, each once';
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags);
  } catch (err) {
    return `pattern is not a valid regular expression: ${(err as Error).message}`;
  }
  if (!safeRegex(re))
    return 'pattern nests quantifiers (such as (a+)+) and could take exponential time; simplify it';
  return null;
}

/** Every `pattern` / `patternProperties` regex inside a JSON schema, with where it is. */
function schemaPatterns(node: unknown, path: string, out: Array<{ at: string; pattern: string }>): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => schemaPatterns(n, `${path}[${i}]`, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'pattern' && typeof v === 'string') out.push({ at: `${path}.pattern`, pattern: v });
    if (k === 'patternProperties' && typeof v === 'object' && v !== null)
      for (const p of Object.keys(v)) out.push({ at: `${path}.patternProperties`, pattern: p });
    schemaPatterns(v, `${path}.${k}`, out);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a list of assertion definitions; answers the normalized list, or the field errors (the
 * caller answers 400 with them). Checks what a DTO cannot: the members each type needs, that a
 * regex compiles and is safe, that a JSON schema compiles.
 */
export function parseAssertions(
  input: unknown,
  field = 'assertions',
): { assertions: Assertion[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const assertions: Assertion[] = [];
  if (!Array.isArray(input)) return { assertions, errors: [{ field, message: `${field} must be an array` }] };
  if (input.length > MAX_ASSERTIONS)
    return { assertions, errors: [{ field, message: `at most ${MAX_ASSERTIONS} assertions` }] };
  input.forEach((raw: unknown, i) => {
    const at = `${field}.${i}`;
    const fail = (member: string, message: string) =>
      errors.push({ field: member ? `${at}.${member}` : at, message });
    if (!isObject(raw)) return fail('', 'an assertion must be an object');
    const type = raw.type as AssertionType;
    if (!ASSERTION_TYPES.includes(type))
      return fail('type', `type must be one of ${ASSERTION_TYPES.join(', ')}`);
    const extra = Object.keys(raw).filter(
      (k) => raw[k] !== undefined && k !== 'type' && !MEMBERS[type].includes(k),
    );
    if (extra.length) return fail(extra[0], `${extra[0]} does not apply to a ${type} assertion`);
    const missing = REQUIRED[type].find((k) => raw[k] === undefined || raw[k] === null);
    if (missing) return fail(missing, `a ${type} assertion needs ${missing}`);
    switch (type) {
      case 'contains':
      case 'not_contains': {
        const value = raw.value;
        if (typeof value !== 'string' || value.length < 1 || value.length > 10_000)
          return fail('value', 'value must be a text of 1 to 10000 characters');
        return assertions.push({ type, value });
      }
      case 'regex': {
        const { pattern, flags } = raw;
        if (typeof pattern !== 'string' || !pattern.length)
          return fail('pattern', 'pattern must be a non-empty text');
        if (flags !== undefined && typeof flags !== 'string') return fail('flags', 'flags must be a text');
        const problem = patternProblem(pattern, flags ?? '');
        if (problem) return fail(problem.startsWith('flags') ? 'flags' : 'pattern', problem);
        return assertions.push({ type, pattern, ...(flags ? { flags } : {}) });
      }
      case 'valid_json':
        return assertions.push({ type });
      case 'json_schema': {
        const schema = raw.schema;
        if (!isObject(schema)) return fail('schema', 'schema must be a JSON schema object');
        if (JSON.stringify(schema).length > MAX_SCHEMA_CHARS)
          return fail('schema', `schema must be at most ${MAX_SCHEMA_CHARS} characters of JSON`);
        const patterns: Array<{ at: string; pattern: string }> = [];
        schemaPatterns(schema, 'schema', patterns);
        for (const p of patterns) {
          const problem = patternProblem(p.pattern);
          if (problem) return fail(p.at, problem);
        }
        try {
          compileSchema(schema);
        } catch (err) {
          return fail('schema', `schema is not a valid JSON schema: ${(err as Error).message}`);
        }
        return assertions.push({ type, schema });
      }
      case 'max_length': {
        const max = raw.max;
        if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 1_000_000)
          return fail('max', 'max must be a whole number of characters from 1 to 1000000');
        return assertions.push({ type, max: max as number });
      }
      case 'evaluator_min': {
        const min = raw.min;
        if (typeof min !== 'number' || !(min >= EVALUATOR_SCALE.min && min <= EVALUATOR_SCALE.max))
          return fail('min', `min must be a score from ${EVALUATOR_SCALE.min} to ${EVALUATOR_SCALE.max}`);
        return assertions.push({ type, min });
      }
    }
  });
  return { assertions, errors };
}

/** The JSON an output holds: the whole text, or the one ```json fenced block it consists of. */
export function parseJsonOutput(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = output.trim();
  const fenced = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1] : text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * Applies an assertion that needs only the output (every type but `evaluator_min`, which the test
 * runner grades through the evaluator).
 */
export function checkOutput(
  a: Exclude<Assertion, { type: 'evaluator_min' }>,
  output: string,
): AssertionResult {
  const result = (passed: boolean, detail: string): AssertionResult => ({ type: a.type, passed, detail });
  switch (a.type) {
    case 'contains':
      return output.includes(a.value)
        ? result(true, `contains ${quote(a.value)}`)
        : result(false, `does not contain ${quote(a.value)}`);
    case 'not_contains': {
      const at = output.indexOf(a.value);
      return at < 0
        ? result(true, `does not contain ${quote(a.value)}`)
        : result(false, `contains ${quote(a.value)} at character ${at}`);
    }
    case 'regex': {
      if (output.length > MAX_REGEX_INPUT)
        return result(
          false,
          `the output has ${output.length} characters; regular expressions run on at most ${MAX_REGEX_INPUT}`,
        );
      const re = new RegExp(a.pattern, a.flags ?? '');
      const match = re.exec(output);
      return match
        ? result(true, `matches /${a.pattern}/${a.flags ?? ''} (${quote(match[0])})`)
        : result(false, `does not match /${a.pattern}/${a.flags ?? ''}`);
    }
    case 'valid_json': {
      const parsed = parseJsonOutput(output);
      return parsed.ok ? result(true, 'is valid JSON') : result(false, `is not valid JSON: ${parsed.error}`);
    }
    case 'json_schema': {
      const parsed = parseJsonOutput(output);
      if (!parsed.ok) return result(false, `is not valid JSON: ${parsed.error}`);
      const validate = compileSchema(a.schema);
      if (validate(parsed.value)) return result(true, 'matches the JSON schema');
      const e = validate.errors?.[0];
      return result(
        false,
        `does not match the JSON schema: ${e ? `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}` : 'invalid'}`,
      );
    }
    case 'max_length':
      return output.length <= a.max
        ? result(true, `${output.length} characters (at most ${a.max})`)
        : result(false, `${output.length} characters, more than ${a.max}`);
  }
}
