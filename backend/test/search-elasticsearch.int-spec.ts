import { searchSuite } from './search-suite';
import { dropIndices, elasticsearchEnv, elasticsearchUrl, outboxDrained } from './support/search-fixtures';
import { ElasticsearchIndex } from '../src/modules/search/engines/elasticsearch.index';

// The same suite against a real Elasticsearch node (scripts/services/elasticsearch.sh start).
const describeEs = elasticsearchUrl ? describe : describe.skip;
if (!elasticsearchUrl) {
  console.warn(
    'Search on Elasticsearch: SKIPPED (set ELASTICSEARCH_URL, e.g. scripts/services/elasticsearch.sh start)',
  );
}

describeEs('Search on Elasticsearch', () => {
  const { env, prefix } = elasticsearchUrl ? elasticsearchEnv() : { env: {}, prefix: '' };
  searchSuite({
    engine: 'elasticsearch',
    boot: () => ({ env }),
    ready: async (t) => {
      await outboxDrained(t);
      await t.app.get(ElasticsearchIndex).refresh();
    },
    cleanup: () => dropIndices(prefix),
  });
});
