import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Issue 10: the benchmark's floor server runs the API's own statements, imported from the build,
// so that the yardstick cannot drift from what the API sends (it once selected `p.*`).
const FLOOR = resolve(__dirname, '../../../scripts/bench/floor-server.mjs');
// Issue 12: the floor of a run (`playground.mjs --floor`) likewise.
const RUN_FLOOR = resolve(__dirname, '../../../scripts/bench/run-floor-server.mjs');

/** A floor's code without its comments. */
function code(file = FLOOR): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

describe('the benchmark floor server', () => {
  it('writes no SQL of its own besides transaction control', () => {
    const statements = code().match(/\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b/g) ?? [];
    expect(statements).toEqual([]);
  });

  it('takes every statement it sends from the API build', () => {
    const sent = [...code().matchAll(/client\.query\(\s*([^,)]+)/g)].map((m) => m[1].trim());
    const imported = new Set(
      [...code().matchAll(/const \{([^}]+)\} = await built\(/g)].flatMap((m) =>
        m[1].split(',').map((name) => name.trim()),
      ),
    );
    for (const statement of sent) {
      if (/^'(BEGIN|COMMIT|ROLLBACK)'$/.test(statement)) continue;
      // A statement built by an imported function is bound to a local first (`sql`).
      expect(imported.has(statement) || statement === 'sql').toBe(true);
    }
    expect(imported).toEqual(
      new Set([
        'SET_SCOPE',
        'KEY_SQL',
        'MEMBERSHIP_SQL',
        'PROMPT_BY_ID_SQL',
        'PROMPT_STATS_FLUSH_SQL',
        'promptListStatement',
        'RUNTIME_FETCH_BY_LABEL_SQL',
        'toPromptDto',
      ]),
    );
  });
});

describe('the benchmark run floor server', () => {
  it('writes no SQL of its own besides transaction control', () => {
    const statements = code(RUN_FLOOR).match(/\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE)\b/g) ?? [];
    expect(statements).toEqual([]);
  });

  it('sends only statements imported from the API build, through its pipeline', () => {
    const sent = [...code(RUN_FLOOR).matchAll(/\bsql: ([^,}]+)/g)].map((m) => m[1].trim());
    expect(sent).toEqual([
      'SET_SCOPE',
      'MEMBERSHIP_SQL',
      'READS',
      'SET_SCOPE',
      'rowOnly ? RUN_INSERT_SQL : RUN_STORE_SQL',
    ]);
    expect(code(RUN_FLOOR)).toContain("const READS = runReadsStatement('current', 'id')");
    const imported = [...code(RUN_FLOOR).matchAll(/const \{([^}]+)\} = await built\(/g)].flatMap((m) =>
      m[1].split(',').map((name) => name.trim()),
    );
    expect(new Set(imported)).toEqual(
      new Set([
        'SET_SCOPE',
        'MEMBERSHIP_SQL',
        'pipeline',
        'runReadsStatement',
        'RUN_INSERT_SQL',
        'RUN_STORE_SQL',
      ]),
    );
  });
});
