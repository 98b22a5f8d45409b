import { CommandError, runCommand } from '../../common/cli/run-command';
import { SearchReindexer } from './search-reindexer';

/**
 * `npm run search:reindex`: rebuilds the Elasticsearch index from Postgres into a new versioned
 * index and swaps the alias (searches keep answering from the old index until the swap).
 */
runCommand(
  'search:reindex',
  async (app) => {
    const result = await app
      .get(SearchReindexer)
      .reindexAll((message) => console.log(`[search:reindex] ${message}`));
    console.log(
      `[search:reindex] ${result.documents} documents into ${result.index} in ${(result.tookMs / 1000).toFixed(1)} s`,
    );
  },
  (config) => {
    if (!config.elasticsearchUrl)
      throw new CommandError(
        'It needs ELASTICSEARCH_URL (without it, search runs on Postgres and has no index).',
      );
  },
);
