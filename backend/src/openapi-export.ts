import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi, createApp, startDatabase } from './bootstrap';
import { loadConfig } from './config/app-config';

/** Writes the OpenAPI document (the console's API types are generated from it). */
async function main(): Promise<void> {
  const out = process.argv[2] ?? 'docs/openapi.json';
  const base = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pv-openapi-')),
  });
  const { config, stop } = await startDatabase(base);
  const app = await createApp(config, { runWorkers: false, serveConsole: false });
  writeFileSync(out, `${JSON.stringify(buildOpenApi(app), null, 2)}\n`);
  await app.close();
  await stop();
  console.log(`OpenAPI document written to ${out}`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
