#!/usr/bin/env node
// `npm start`: builds whatever is missing or older than its sources, then runs the API (which
// serves the console) — or, with --worker, the job processors only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const worker = process.argv.includes('--worker');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function stale(output, ...sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => existsSync(s) && newest(s) > built);
}

function run(script) {
  console.log(`[start] npm run ${script}`);
  const result = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const backendMain = join(root, 'dist/backend/main.js');
if (stale(backendMain, join(root, 'backend/src'))) run('build:backend');
if (
  !worker &&
  existsSync(join(root, 'admin')) &&
  stale(join(root, 'dist/admin/browser/index.html'), join(root, 'admin/src'))
) {
  run('build:admin');
}

const child = spawn(
  process.execPath,
  [join(root, worker ? 'dist/backend/worker.js' : 'dist/backend/main.js')],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
