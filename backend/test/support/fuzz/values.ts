import type { Schema } from './openapi';

/** Ids and names of what the suite seeded, so a baseline request reaches real rows. */
export interface Fixtures {
  organizationId: string;
  organizationSlug: string;
  promptId: string;
  promptSlug: string;
  categoryId: string;
  collectionId: string;
  tagId: string;
  savedSearchId: string;
  commentId: string;
  testCaseId: string;
  apiKeyId: string;
  inviteId: string;
  memberUserId: string;
  ownerUserId: string;
  /** Rows of another tenant: their ids must be as unknown as random ones. */
  foreignOrganizationId: string;
  foreignPromptId: string;
}

const DAY = 86_400_000;

/** A value the schema accepts, as far as the schema says (the baseline a mutation starts from). */
export function plausible(schema: Schema, name: string, f: Fixtures, path: string): unknown {
  if (schema.enum?.length) return schema.enum[0];
  if (schema.oneOf?.length) return plausible(schema.oneOf[0], name, f, path);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array': {
      if (/ids$/i.test(name)) return [f.promptId];
      const n = Math.max(schema.minItems ?? 0, 1);
      return Array.from({ length: n }, (_, i) =>
        plausible(schema.items ?? { type: 'string' }, `${name}${i}`, f, path),
      );
    }
    case 'object':
      if (!schema.properties) return {};
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, plausible(schema.properties![key] ?? {}, key, f, path)]),
      );
    case 'string':
    default:
      return plausibleString(schema, name, f, path);
  }
}

function plausibleString(schema: Schema, name: string, f: Fixtures, path: string): string {
  if (schema.format === 'uuid' || /Id$|^(category|collection|author|actor|excludeId)$/.test(name)) {
    if (/categor/i.test(name)) return f.categoryId;
    if (/collection|parent/i.test(name)) return path.includes('comments') ? f.commentId : f.collectionId;
    if (/author|actor|user/i.test(name)) return f.ownerUserId;
    return f.promptId;
  }
  if (schema.format === 'date-time' || /At$|From$|To$|^(from|to)$/.test(name)) {
    return new Date(Date.now() + DAY).toISOString();
  }
  if (/email/i.test(name)) return `fuzz.${name.length}@example.com`;
  if (/password/i.test(name)) return 'fuzz-password-that-is-long';
  if (/token|code|SAMLResponse/i.test(name)) return 'x'.repeat(Math.max(schema.minLength ?? 1, 24));
  if (name === 'slug') return 'fuzz-slug';
  if (name === 'label') return 'staging';
  if (name === 'name' && schema.pattern) return 'fuzz_name';
  if (name === 'content') return 'Fuzz {{who}}';
  const text = `fuzz ${name}`.slice(0, schema.maxLength ?? 100);
  return text.padEnd(schema.minLength ?? 0, 'x');
}

/** Deeply nested JSON, as text (JSON.stringify would recurse as deep as the value). */
export const deepJson = (levels: number, open = '{"a":', close = '}') =>
  open.repeat(levels) + '1' + close.repeat(levels);

const nestedObject = (levels: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

/** Strings that have hurt servers: NUL, lone surrogates, huge, unicode edge cases, injections. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  'x'.repeat(70_000),
  '🚀'.repeat(400),
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  'e\u0301'.repeat(600),
  '\uffff\ufffe',
  'İ'.repeat(120),
  '%00',
  '%ED%A0%80',
  '../../etc/passwd',
  "' OR '1'='1' --",
  '{{__proto__}}',
  '<script>alert(1)</script>',
  '\\',
  '"',
  'NaN',
  '-1',
  '99999999999999999999',
  '1e308',
  'null',
  '\r\n\t',
  '*',
  '%',
  '_',
  '((((((((((',
  '"unterminated',
  'NOT NOT NOT -',
  'a:*',
  '\\x00',
];

/** Values of the wrong type for anything. */
export const WRONG_TYPES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 2,
  true,
  [],
  ['x'],
  {},
  { a: 1 },
  nestedObject(40),
  { ['\u0000']: 1 },
];

const NUMBERS: readonly unknown[] = [
  0,
  -1,
  -0,
  1.5,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53 + 2,
  1e308,
  -1e308,
  '1',
  '1e3',
  'NaN',
  null,
  true,
  [],
  {},
];

const BOOLEANS: readonly unknown[] = ['true', 'false', 1, 0, null, 'yes', [], {}];

const dateStrings = (): string[] => [
  'not a date',
  '9999-99-99',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01',
  '2024-02-30',
  '1970-01-01T00:00:00Z',
  '2024-01-01T25:61:61Z',
  '2024-01-01T00:00:00+99:99',
  '1',
];

const uuidStrings = (f: Fixtures): string[] => [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  f.promptId.toUpperCase(),
  f.foreignPromptId,
  f.foreignOrganizationId,
  `${f.promptId}\u0000`,
  `{${f.promptId}}`,
  f.promptId.replace(/-/g, ''),
];

/** Hostile values for one field of a body (or a query parameter, before encoding). */
export function hostileValues(schema: Schema, name: string, f: Fixtures): unknown[] {
  const own: unknown[] = [];
  if (schema.format === 'uuid' || /Id$/.test(name)) own.push(...uuidStrings(f));
  if (schema.format === 'date-time' || /At$|From$|To$|^(from|to)$/.test(name)) own.push(...dateStrings());
  switch (schema.type) {
    case 'integer':
    case 'number':
      own.push(...NUMBERS);
      break;
    case 'boolean':
      own.push(...BOOLEANS);
      break;
    case 'array':
      own.push(
        null,
        'x',
        {},
        Array.from({ length: 1000 }, () => 'x'),
        [null],
        [[[[]]]],
        ['a\u0000'],
        ['\ud800'],
        [''],
        Array.from({ length: 101 }, () => f.promptId),
        [f.foreignPromptId],
        [{ name: 'x' }],
      );
      break;
    case 'object':
      own.push(
        null,
        'x',
        [],
        1,
        nestedObject(40),
        JSON.parse('{"__proto__":{"polluted":true}}'),
        { constructor: { prototype: { polluted: true } } },
        { ['\u0000']: 'x' },
        { k: '\ud800' },
        Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 'x'.repeat(100)])),
      );
      break;
    default:
      own.push(...HOSTILE_STRINGS);
  }
  return [...own, ...WRONG_TYPES.filter((w) => !own.includes(w))];
}

/** Hostile values for a path parameter, already percent-encoded as they go on the wire. */
export function hostilePathValues(name: string, f: Fixtures): string[] {
  const values = [
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    f.foreignPromptId,
    f.foreignOrganizationId,
    '%00',
    'a%00b',
    '%ED%A0%80',
    '%E0%A4%A',
    '%25',
    '%2F',
    'x'.repeat(5000),
    '99999999999999999999',
    '2147483648',
    '-1',
    '0',
    '1.5',
    '1e3',
    '%F0%9F%9A%80',
    '%E2%80%AE',
    'null',
    '..',
    '%20',
  ];
  if (name === 'version') values.push('2147483647');
  return values;
}

const base64url = (s: string) => Buffer.from(s).toString('base64url');

/** Cursors that are not ours: garbage, and well-formed base64 of values no list ever issues. */
export const HOSTILE_CURSORS: readonly string[] = [
  'garbage',
  '!!!',
  base64url('{"a":1}'),
  base64url('null'),
  base64url('[1,2,3]'),
  base64url('["x","y"]'),
  base64url('[null,null]'),
  base64url('"\\u0000"'),
  base64url('["\\ud800","00000000-0000-0000-0000-000000000000"]'),
  base64url('[99999999999999999999, "x"]'),
  base64url('["2024-01-01T00:00:00Z", "not-a-uuid"]'),
  base64url('[' + '['.repeat(2000) + ']'.repeat(2000) + ']'),
  base64url('1e999'),
  base64url('{"t":"9999-99-99","id":"x"}'),
  'x'.repeat(600),
  // Shapes a list accepts, with values its SQL cannot take: one object satisfies every list's
  // validator at once (k/n/t/at/seq/v/id), so every list meets it.
  ...[
    { id: '-'.repeat(36) },
    { id: '00000000-0000-0000-0000-000000000000', k: '\u0000', n: '\ud800' },
    { id: '00000000-0000-0000-0000-000000000000', t: '2024-99-99T99:99:99Z', at: '2024-99-99 99:99:99' },
    { id: '00000000-0000-0000-0000-000000000000', seq: 2 ** 53 - 1, v: 2 ** 53 - 1, k: '99999999999999999' },
    { id: '00000000-0000-0000-0000-000000000000', seq: -(2 ** 53 - 1), v: -1, k: 'not a time' },
    { e: 'postgres', s: 'relevance', v: ['x', 'y', 'z'] },
    { e: 'postgres', s: 'created', v: ['not a time', '-'.repeat(36)] },
    { e: 'postgres', s: 'popularity', v: [1e308, -1e308, '\u0000'] },
    { e: 'elasticsearch', s: 'updated', v: ['\ud800', 1] },
  ].map((shape) =>
    base64url(
      JSON.stringify({
        k: 'a',
        n: 'a',
        t: '2024-01-01T00:00:00Z',
        at: '2024-01-01T00:00:00Z',
        seq: 1,
        v: 1,
        ...shape,
      }),
    ),
  ),
];

/**
 * Percent-encodes a string as a client would; lone surrogates have no UTF-8 form, so they go out
 * as the invalid bytes a hostile client would send.
 */
export function encodeComponent(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += code >= 0xd800 && code <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch);
  }
  return out;
}
