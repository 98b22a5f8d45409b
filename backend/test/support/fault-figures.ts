import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = join(__dirname, '..', '..', '..', 'test-results');

/**
 * One line of what a fault test saw (requests, statuses, recovery time, writes checked): printed,
 * and appended to `test-results/fault-figures.txt`, which `.ci/run` prints at the end.
 */
export function reportFigures(line: string): void {
  console.log(line);
  mkdirSync(RESULTS, { recursive: true });
  appendFileSync(join(RESULTS, 'fault-figures.txt'), `${new Date().toISOString()} ${line}\n`);
}

/** Answers by status class, as `0 x 500, 37 x 503, 375 x 2xx` (every 5xx status named). */
export function statusSummary(statuses: number[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) {
    const key = s >= 500 || s === 0 ? String(s) : `${Math.floor(s / 100)}xx`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (!counts.has('500')) counts.set('500', 0);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${n} x ${k === '0' ? 'no answer' : k}`)
    .join(', ');
}
