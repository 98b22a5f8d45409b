// Counts one runner's machine-readable results (a file) or all of them (a folder): Jest JSON,
// Playwright JSON and JUnit XML (the console's Vitest). Prints "passed failed skipped".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const target = process.argv[2];
const files = !existsSync(target) ? [] : statSync(target).isDirectory() ? readdirSync(target).map((f) => join(target, f)) : [target];
let passed = 0;
let failed = 0;
let skipped = 0;

for (const name of files) {
  const text = readFileSync(name, 'utf8');
  if (name.endsWith('.json')) {
    const r = JSON.parse(text);
    if ('numPassedTests' in r) {
      // Jest
      passed += r.numPassedTests;
      failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
      skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    } else if (r.stats && 'expected' in r.stats) {
      // Playwright
      passed += r.stats.expected + (r.stats.flaky ?? 0);
      failed += r.stats.unexpected;
      skipped += r.stats.skipped;
      failed += (r.errors ?? []).length;
    }
  } else if (name.endsWith('.xml')) {
    // JUnit: count testcases and their failure/error/skipped children.
    for (const tc of text.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? []) {
      if (/<(failure|error)\b/.test(tc)) failed++;
      else if (/<skipped\b/.test(tc)) skipped++;
      else passed++;
    }
  }
}
console.log(`${passed} ${failed} ${skipped}`);
