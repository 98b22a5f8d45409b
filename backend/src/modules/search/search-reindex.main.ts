import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { startDatabase } from '../../bootstrap';
import { ConfigValidationError, loadConfig, loadDotEnv } from '../../config/app-config';
import { SearchReindexer } from './search-reindexer';

/**
 * `npm run search:reindex`: rebuilds the Elasticsearch index from Postgres into a new versioned
 * index and swaps the alias (searches keep answering from the old index until the swap).
 */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(`search:reindex cannot start. ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  if (!config.elasticsearchUrl) {
    console.error(
      'search:reindex needs ELASTICSEARCH_URL (without it, search runs on Postgres and has no index).',
    );
    process.exit(1);
  }
  const database = await startDatabase(config);
  // No job processing here: the running API/workers keep draining the outbox meanwhile.
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config: database.config.with({ workers: 'off', logLevel: 'warn' }) }),
    { logger: ['error', 'warn'] },
  );
  try {
    const result = await app
      .get(SearchReindexer)
      .reindexAll((message) => console.log(`[search:reindex] ${message}`));
    console.log(
      `[search:reindex] ${result.documents} documents into ${result.index} in ${(result.tookMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await app.close();
    await database.stop();
  }
}

void main().catch((err) => {
  console.error('search:reindex failed:', err);
  process.exit(1);
});
