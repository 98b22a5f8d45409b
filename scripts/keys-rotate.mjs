#!/usr/bin/env node
// `npm run keys:rotate`: builds the backend if its sources are newer than the build, then
// re-encrypts every sealed secret (provider keys, webhook secrets) under ENCRYPTION_KEY, opening them with
// ENCRYPTION_KEY_PREVIOUS (one transaction; safe to run again). Reads .env like the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/backend/common/security/keys-rotate.main.js');

function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    if (item.name === 'node_modules' || item.name.startsWith('.')) continue;
    const path = join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

if (!existsSync(entry) || newest(join(root, 'backend/src')) > statSync(entry).mtimeMs) {
  const build = spawnSync('npm', ['run', 'build:backend'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const result = spawnSync(process.execPath, [entry], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
