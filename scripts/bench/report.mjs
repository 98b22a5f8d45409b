#!/usr/bin/env node
// Renders one or more bench result files (written by run.mjs) as the Markdown tables used in
// docs/benchmarks.md, so the document quotes the measured numbers without retyping them.
//
//   node scripts/bench/report.mjs .cache/bench/runs/<run>/result.json [...]
import { readFileSync } from 'node:fs';

const NAMES = {
  get: '`GET /prompts/:id`',
  list: '`GET /prompts` (first page)',
  runtime: '`GET /prompts/by-slug/:slug?label=production`',
};

for (const file of process.argv.slice(2)) {
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
