// Shared settings of the benchmark scripts (seed, floor server, runner). Everything runs on
// loopback against the machine's PostgreSQL and Redis; nothing here is used by the product.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the runner keeps its private copy of the build, logs and results (git-ignored). */
export const WORK_DIR = join(ROOT, '.cache', 'bench');

/** A server-level connection (any existing database) used to create and drop the bench database. */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_DB = process.env.BENCH_DB ?? 'prompt_vault_bench';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function benchDatabaseUrl() {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

/**
 * The data shape. Bumping SEED_VERSION (or changing a number) makes `npm run bench` reseed, because
 * the runner compares this object with the one the seed stored on the database.
 */
export const SHAPE = {
  seedVersion: 1,
  organizations: 100,
  promptsPerOrganization: 1000,
  usersPerOrganization: 5, // OWNER, ADMIN, EDITOR, EDITOR, VIEWER
  tagsPerOrganization: 40,
  collectionsPerOrganization: 10,
  maxVersionsPerPrompt: 19, // 1..19, uniform: 10 on average
  productionLabelPercent: 90,
  stagingLabelPercent: 30,
  privatePercent: 2,
  favoritesPerUser: 20,
};

export const ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'EDITOR', 'VIEWER'];
/** Every seeded user has this password, so the runner can sign in through the API like a client. */
export const BENCH_PASSWORD = 'bench-password-1234';
export const userEmail = (org, k) => `bench-o${org}-u${k}@bench.local`;

/** Same pool size for the API (DB_POOL_SIZE) and the floor server, so neither gets more connections. */
export const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);

const argv = process.argv.slice(2);
/** The script's own arguments (after `node <script>`). */
export const ARGS = argv;
/** Whether `--name` was given. */
export const flag = (name) => argv.includes(name);
/** The value after `--name`, or `fallback`. */
export const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};

/**
 * With `--help`: prints the script's opening comment (what it does, its options) and exits, before
 * the script starts anything. Call it right after the imports with `import.meta.url`.
 */
export function usageOnHelp(scriptUrl) {
  if (!flag('--help')) return;
  const lines = readFileSync(fileURLToPath(scriptUrl), 'utf8').split('\n');
  const usage = [];
  for (const line of lines.slice(lines[0].startsWith('#!') ? 1 : 0)) {
    if (!line.startsWith('//')) break;
    usage.push(line.replace(/^\/\/ ?/, ''));
  }
  console.log(usage.join('\n'));
  process.exit(0);
}

/** A process's command name and CPU used so far (utime + stime, ms; Linux /proc, 100 ticks per second), or null. */
export function processCpu(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // no /proc, or the process exited
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    ms: (Number(fields[11]) + Number(fields[12])) * 10,
  };
}
