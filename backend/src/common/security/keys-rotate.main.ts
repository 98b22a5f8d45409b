import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { startDatabase } from '../../bootstrap';
import { ConfigValidationError, loadConfig, loadDotEnv } from '../../config/app-config';
import { MasterKeyRotation, RotationError } from './master-key-rotation';

/**
 * `npm run keys:rotate`: with ENCRYPTION_KEY set to the new master key and ENCRYPTION_KEY_PREVIOUS
 * to the old one, re-encrypts every sealed secret (provider keys, webhook signing secrets) under the new key in one transaction
 * (docs/playground.md, "Rotating the master key"). Safe to run again.
 */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(`keys:rotate cannot start. ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  if (!config.encryption.previous)
    console.warn(
      '[keys:rotate] ENCRYPTION_KEY_PREVIOUS is not set: only keys already readable with ENCRYPTION_KEY can be handled',
    );
  const database = await startDatabase(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config: database.config.with({ workers: 'off', logLevel: 'warn' }) }),
    { logger: ['error', 'warn'] },
  );
  try {
    const result = await app.get(MasterKeyRotation).rotate();
    console.log(
      result.rotated
        ? `[keys:rotate] re-encrypted ${result.rotated} secret(s) (${Object.entries(result.byTable)
            .map(([t, n]) => `${t}: ${n}`)
            .join(
              ', ',
            )}) under master key version ${result.keyVersion}; ENCRYPTION_KEY_PREVIOUS can now be removed`
        : `[keys:rotate] every sealed secret is already under master key version ${result.keyVersion}; nothing to do`,
    );
  } catch (err) {
    if (!(err instanceof RotationError)) throw err;
    console.error(`[keys:rotate] ${err.message}`);
    process.exitCode = 1;
  } finally {
    await app.close();
    await database.stop();
  }
}

void main().catch((err) => {
  console.error('keys:rotate failed:', err);
  process.exit(1);
});
