import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as sdk from '../src/variables.js';
import type { VariableDefinition } from '../src/types.js';

const { extractVariables, parseTemplate, renderTemplate } = sdk;

// The server's module, loaded by path at run time so that the SDK's type check does not compile
// backend sources under the SDK's compiler options; it has the same signatures.
const serverModule = fileURLToPath(
  new URL('../../backend/src/modules/prompts/variables.ts', import.meta.url),
);
const server = (await import(/* @vite-ignore */ serverModule)) as typeof sdk;

/** Deterministic pseudo-random source, so a failing case can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  '{{',
  '}}',
  '{{{{',
  'a',
  'b',
  'x.y',
  ' ',
  '\n',
  '{',
  '}',
  'text ',
  'é',
  '{{ a }}',
  '{{b}}',
  '{{x.y}}',
  '{{-a}}',
  '{{a b}}',
];
const VALUES: unknown[] = [
  '',
  'hi',
  '3',
  ' 4 ',
  'abc',
  'true',
  'false',
  0,
  2.5,
  -1,
  NaN,
  Infinity,
  true,
  false,
  null,
  undefined,
  [],
  {},
  'red',
];
const DEFS: VariableDefinition[][] = [
  [],
  [{ name: 'a', type: 'text', required: true }],
  [
    { name: 'a', type: 'number', required: true },
    { name: 'b', type: 'boolean', required: false },
  ],
  [
    { name: 'a', type: 'select', required: true, options: ['red', 'green'] },
    { name: 'x.y', type: 'text', required: false, defaultValue: 'dflt' },
  ],
  [
    { name: 'b', type: 'number', required: true, defaultValue: 7 },
    { name: 'a', type: 'boolean', required: true, defaultValue: false },
  ],
];

describe('variables: the same rules as the server', () => {
  it('parses, extracts and renders exactly like backend/src/modules/prompts/variables.ts on generated inputs', () => {
    const next = rng(14);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    for (let i = 0; i < 3000; i++) {
      const content = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(PIECES)).join('');
      const defs = pick(DEFS);
      const values: Record<string, unknown> = {};
      for (const name of ['a', 'b', 'x.y', 'unused']) if (next() < 0.7) values[name] = pick(VALUES);
      expect(parseTemplate(content)).toEqual(server.parseTemplate(content));
      expect(extractVariables(content)).toEqual(server.extractVariables(content));
      expect(renderTemplate(content, defs, values)).toEqual(server.renderTemplate(content, defs, values));
    }
  });

  it('substitutes values, applies defaults and resolves the {{{{ escape', () => {
    const defs: VariableDefinition[] = [
      { name: 'name', type: 'text', required: true },
      { name: 'n', type: 'number', required: false, defaultValue: 3 },
      { name: 'tone', type: 'select', required: true, options: ['formal', 'casual'] },
    ];
    expect(
      renderTemplate('{{{{literal}} Hi {{ name }}, {{n}} {{tone}}', defs, { name: 'Ada', tone: 'casual' }),
    ).toEqual({
      rendered: '{{literal}} Hi Ada, 3 casual',
      errors: [],
    });
  });

  it('names every missing or ill-typed variable', () => {
    const defs: VariableDefinition[] = [
      { name: 'name', type: 'text', required: true },
      { name: 'n', type: 'number', required: true },
      { name: 'ok', type: 'boolean', required: true },
      { name: 'tone', type: 'select', required: true, options: ['formal', 'casual'] },
    ];
    expect(
      renderTemplate('{{name}}{{n}}{{ok}}{{tone}}', defs, { n: 'many', ok: 'yes', tone: 'rude' }).errors,
    ).toEqual([
      { field: 'variables.name', message: 'name is required' },
      { field: 'variables.n', message: 'n must be a number' },
      { field: 'variables.ok', message: 'ok must be true or false' },
      { field: 'variables.tone', message: 'tone must be one of: formal, casual' },
    ]);
  });

  it('renders undeclared placeholders from the values given, and requires them otherwise', () => {
    expect(renderTemplate('{{a}}-{{b}}', [], { a: 1 })).toEqual({
      rendered: '1-',
      errors: [{ field: 'variables.b', message: 'b is required' }],
    });
  });
});
