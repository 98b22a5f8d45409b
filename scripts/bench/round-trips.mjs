// One connection, no server: what a read costs as three round trips (BEGIN + scope, the prepared
// read, COMMIT) against two, sent two ways: simple-protocol messages with `EXECUTE` of statements
// PREPAREd once and their parameters inlined (BEGIN, scope and the membership read; then the read
// with COMMIT: what TenantTransactions sent until Run 18), and the extended protocol's `pipeline`
// (the same statements bound, one Sync per round trip: what it sends now). Prints wall time, this
// process's CPU and the PostgreSQL backend's CPU per transaction, which the machine's load
// distorts far less than a throughput run (docs/benchmarks.md, Runs 9 and 18).
//
//   npm run build:backend && node scripts/bench/round-trips.mjs [--list] [--n 1000]
//
// Uses the seeded benchmark database (npm run bench:seed; BENCH_DATABASE_URL overrides) and the
// first membership in it; `--list` measures the first page of GET /prompts instead of one prompt.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BUILT_BACKEND } from './api-process.mjs';

const flag = (name) => process.argv.includes(name);
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const N = Number(option('--n', 1000));
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/prompt_vault_bench';
const built = async (file) => (await import(join(BUILT_BACKEND, file))).default;
const { promptListStatement, PROMPT_BY_ID_SQL } = await built('modules/prompts/prompts.sql.js');
const { MEMBERSHIP_SQL } = await built('authz/admission.sql.js');
const { SET_SCOPE } = await built('database/tenancy/scope.sql.js');
const { pipeline } = await built('database/tenancy/prepared-statements.js');

const c = new pg.Client({ connectionString: url });
await c.connect();
const pid = (await c.query('SELECT pg_backend_pid() AS p')).rows[0].p;
const backendCpuMs = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime in clock ticks of 10 ms
};
const [{ organization_id: org, user_id: user }] = (
  await c.query('SELECT organization_id, user_id FROM memberships ORDER BY organization_id LIMIT 1')
).rows;
const [{ id }] = (
  await c.query(`SELECT id FROM prompts WHERE organization_id = $1 AND visibility = 'organization' LIMIT 1`, [
    org,
  ])
).rows;
const sql = flag('--list') ? promptListStatement({}, 'updated', undefined, 20).sql : PROMPT_BY_ID_SQL;
const params = flag('--list') ? [org, user, 21] : [org, user, id];
const scope = `SELECT set_config('role', 'vault_app', true), set_config('app.org_id', '${org}', true),
  set_config('app.user_id', '${user}', true), set_config('app.system', '', true), set_config('app.token_hash', '', true)`;
await c.query(`PREPARE pvx_bench AS ${sql}`);
await c.query(`PREPARE pvx_member AS ${MEMBERSHIP_SQL}`);
const literals = params.map((v) => `'${v}'`).join(', ');

const ways = {
  'three round trips': async () => {
    await c.query(`BEGIN; ${scope}`);
    await c.query({ name: 'pv_bench', text: sql, values: params });
    await c.query('COMMIT');
  },
  'simple, EXECUTE': async () => {
    await c.query(`BEGIN; ${scope}; EXECUTE pvx_member('${org}', '${user}')`);
    await c.query(`EXECUTE pvx_bench(${literals}); COMMIT`);
  },
  pipeline: async () => {
    await pipeline(c, [
      'BEGIN',
      { sql: SET_SCOPE, params: [org, user, '', ''] },
      { sql: MEMBERSHIP_SQL, params: [org, user] },
    ]);
    await pipeline(c, [{ sql, params }, 'COMMIT']);
  },
};
for (let round = 1; round <= 2; round++) {
  for (const [name, once] of Object.entries(ways)) {
    for (let i = 0; i < 50; i++) await once();
    const cpu0 = backendCpuMs();
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await once();
    const own = process.cpuUsage(own0);
    console.log(
      `${name.padEnd(18)} wall ${((performance.now() - t0) / N).toFixed(3)} ms, client CPU ${(
        (own.user + own.system) /
        1000 /
        N
      ).toFixed(3)} ms, PostgreSQL CPU ${((backendCpuMs() - cpu0) / N).toFixed(3)} ms per transaction`,
    );
  }
}
await c.end();
