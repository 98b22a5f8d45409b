// The preamble of the operator scripts that run one built entry point of the backend
// (`npm run keys:rotate`, `npm run search:reindex`): build the backend when its sources are newer
// than the entry point, then run it from the repository root and exit with its status.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of the files below `dir` (skipping node_modules and dot entries). */
function newest(dir) {
  let latest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    if (item.name === 'node_modules' || item.name.startsWith('.')) continue;
    const path = join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Runs `dist/backend/<entry>` (e.g. `modules/search/search-reindex.main.js`), building it first if stale. */
export function runBuiltEntry(entry) {
  const file = join(root, 'dist/backend', entry);
  if (!existsSync(file) || newest(join(root, 'backend/src')) > statSync(file).mtimeMs) {
    const build = spawnSync('npm', ['run', 'build:backend'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const result = spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
