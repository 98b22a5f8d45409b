import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { startDatabase } from '../bootstrap';
import { loadConfig, loadDotEnv } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** `migration:run` / `migration:revert` / `migration:show` on the configured or embedded database. */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (!['run', 'revert', 'show'].includes(command)) {
    console.error('usage: cli.js run|revert|show');
    process.exit(2);
  }
  loadDotEnv();
  const { config, stop } = await startDatabase(loadConfig());
  const ds = new DataSource(dataSourceOptions(config.databaseUrl!, 1));
  await ds.initialize();
  try {
    if (command === 'run') {
      const applied = await ds.runMigrations({ transaction: 'each' });
      console.log(
        applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations',
      );
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      const pending = await ds.showMigrations();
      console.log(pending ? 'there are pending migrations' : 'the schema is up to date');
    }
  } finally {
    await ds.destroy();
    await stop();
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
