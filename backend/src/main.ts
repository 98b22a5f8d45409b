import 'reflect-metadata';
import type { Server } from 'node:net';
import { Logger } from '@nestjs/common';
import { createApp, startDatabase } from './bootstrap';
import { listenAddress } from './common/http/listen-address';
import { AppConfig, ConfigValidationError, loadConfig, loadDotEnv } from './config/app-config';
import { applyHeapGrowth } from './config/heap-growth';

function readConfig(): AppConfig {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(`Prompt Vault cannot start. ${err.message}\nSee .env.example for every variable.`);
      process.exit(1);
    }
    throw err;
  }
}

/** The HTTP API (and, with WORKERS=inline or the inline queue, the job processors too). */
async function main(): Promise<void> {
  const read = readConfig();
  applyHeapGrowth(read.heapGrowthPercent);
  const { config, stop: stopDatabase } = await startDatabase(read);
  const runWorkers = config.workers === 'inline' || config.queueDriver === 'inline';
  const app = await createApp(config, { runWorkers });
  const logger = new Logger('Boot');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: draining HTTP, closing queues and pools`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await app.close();
    await stopDatabase();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port, config.host);
  // The socket's own address, not PUBLIC_URL: HOST=0.0.0.0 must not be reported as 127.0.0.1.
  const bound = listenAddress((app.getHttpServer() as Server).address());
  logger.log(
    `Prompt Vault listening on ${bound} (public URL ${config.publicUrl}) — database: ${config.databaseDriver}` +
      `${config.databaseDriver === 'pglite' ? ` (${config.dataDir})` : ''}, queue: ${config.queueDriver}` +
      ` (workers ${runWorkers ? 'in this process' : 'in worker.ts'}), search: ${config.searchDriver}, ` +
      `mail: ${config.smtpUrl ? 'smtp' : 'log'}; API docs at ${config.publicUrl}/api/docs`,
  );
}

void main().catch((err) => {
  console.error('Prompt Vault failed to start:', err);
  process.exit(1);
});
