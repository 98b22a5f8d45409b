#!/usr/bin/env node
// The results of the benchmarks: percentiles, the machine they ran on and the JSON result file
// (imported by the runners), and, run as a script, the Markdown tables of docs/benchmarks.md from
// one or more result files of run.mjs, so the document quotes the measured numbers without retyping them.
//
//   node scripts/bench/report.mjs .cache/bench/runs/<run>/result.json [...]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORK_DIR, option } from './config.mjs';

/** The nearest-rank `p`th percentile of ascending `sorted` samples (NaN without samples). */
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Count, p50, p95 and p99 of latency samples (ms), to a tenth of a millisecond. */
export function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => Math.round(percentile(sorted, p) * 10) / 10;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}

/** The machine a result was measured on, and how busy it was at the end. */
export const machine = () => ({ cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() });

/** Writes a result as indented JSON (creating its folder) and answers the file. */
export function writeResult(file, result) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const NAMES = {
  get: '`GET /prompts/:id`',
  list: '`GET /prompts` (first page)',
  runtime: '`GET /prompts/by-slug/:slug?label=production`',
};

/**
 * Writes the result of benchmark `name` to `--out`, or to .cache/bench/<name>-<result.date>.json,
 * and answers the file.
 */
export function saveResult(name, result) {
  const stamp = String(result.date).replace(/[:.]/g, '-');
  return writeResult(option('--out', join(WORK_DIR, `${name}-${stamp}.json`)), result);
}

/** Prints the Markdown tables of run.mjs result files. */
export function printTables(files) {
  for (const file of files) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const load = report.results.map((r) => r.loadAverageBefore);
    console.log(
      `Run ${report.runId} (commit ${report.gitCommit.slice(0, 7)}; ${report.settings.durationSeconds} s per ` +
        `measurement after ${report.settings.warmupSeconds} s warm-up; 1-min load average before each ` +
        `measurement ${Math.min(...load)}–${Math.max(...load)} on ${report.machine.cpus} CPUs):\n`,
    );
    console.log(
      '| endpoint | conns | server | req/s | p50 ms | p99 ms | errors | SQL/req | tx/req | server CPU ms/req | DB CPU ms/req |',
    );
    console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of report.results) {
      console.log(
        `| ${NAMES[r.endpoint]} | ${r.connections} | ${r.server === 'api' ? 'API' : 'floor'} | ${r.requestsPerSecond} | ` +
          `${r.latencyMs.p50.toFixed(1)} | ${r.latencyMs.p99.toFixed(1)} | ${r.non2xx + r.errors + r.timeouts} | ` +
          `${r.queriesPerRequest} | ${r.transactionsPerRequest} | ${r.serverCpuMsPerRequest} | ${r.databaseCpuMsPerRequest} |`,
      );
    }
    const pairs = ['get', 'list', 'runtime'].map((e) => {
      const at = (s) => report.results.find((r) => r.endpoint === e && r.server === s && r.connections !== 1);
      const api = at('api');
      const floor = at('floor');
      return api && floor
        ? `${NAMES[e]} ${Math.round((100 * api.requestsPerSecond) / floor.requestsPerSecond)} %`
        : null;
    });
    console.log(`\nAPI throughput as a share of the floor's: ${pairs.filter(Boolean).join(', ')}.`);
    if (report.verdict) {
      const v = report.verdict;
      console.log(
        `Runtime fetch targets: p99 ${v.runtimeP99Ms} ms (under 10 ms: ${v.runtimeP99Under10ms ? 'yes' : 'no'}); ` +
          `${Math.round(v.runtimeThroughputVsFloor * 100)} % of the floor (at least half: ${v.runtimeAtLeastHalfOfFloor ? 'yes' : 'no'}).\n`,
      );
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTables(process.argv.slice(2));
