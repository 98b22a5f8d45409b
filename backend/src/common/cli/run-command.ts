import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { startDatabase } from '../../bootstrap';
import { AppConfig, ConfigValidationError, loadConfig, loadDotEnv } from '../../config/app-config';
import { CommandError } from './command-error';

export { CommandError };

/**
 * Runs an operator command (`npm run keys:rotate`, `npm run search:reindex`, …) the one way:
 * `.env` and the configuration are read (an invalid one is a one-line message), `check` may refuse
 * to start, the database starts (the embedded one too), the application runs without job
 * processing (the running API and workers keep working meanwhile), `work` gets it, and everything
 * is closed again. A `CommandError` prints as `[name] message` with exit code 1; anything else is
 * a crash with its stack.
 */
export function runCommand(
  name: string,
  work: (app: INestApplicationContext, config: AppConfig) => Promise<void>,
  check?: (config: AppConfig) => void,
): void {
  const main = async (): Promise<void> => {
    loadDotEnv();
    let config: AppConfig;
    try {
      config = loadConfig();
      check?.(config);
    } catch (err) {
      if (err instanceof ConfigValidationError || err instanceof CommandError) {
        console.error(`${name} cannot start. ${err.message}`);
        process.exit(1);
      }
      throw err;
    }
    const database = await startDatabase(config);
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config: database.config.with({ workers: 'off', logLevel: 'warn' }) }),
      { logger: ['error', 'warn'] },
    );
    try {
      await work(app, config);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      console.error(`[${name}] ${err.message}`);
      process.exitCode = 1;
    } finally {
      await app.close();
      await database.stop();
    }
  };
  void main().catch((err) => {
    console.error(`${name} failed:`, err);
    process.exit(1);
  });
}
