import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { startWorkers } from './bootstrap';
import { ConfigValidationError, loadConfig, loadDotEnv } from './config/app-config';
import { applyHeapGrowth } from './config/heap-growth';

/** Job processors only, no HTTP: scale these separately from the API (`WORKERS=off` there). */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(`Prompt Vault worker cannot start. ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  applyHeapGrowth(config.heapGrowthPercent);
  if (!config.databaseUrl || !config.redisUrl) {
    console.error(
      'The worker needs DATABASE_URL and REDIS_URL; in embedded mode the API process runs the jobs itself.',
    );
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config }), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks();
  await app.init();
  await startWorkers(app as never);
  new Logger('Boot').log(`Prompt Vault worker running — database: postgres, queue: bullmq`);
}

void main().catch((err) => {
  console.error('Prompt Vault worker failed to start:', err);
  process.exit(1);
});
