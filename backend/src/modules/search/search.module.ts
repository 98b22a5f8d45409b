import { Module } from '@nestjs/common';
import { UsageModule } from '../analytics/usage.module';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ElasticsearchSearchEngine } from './engines/elasticsearch.engine';
import { ElasticsearchIndex } from './engines/elasticsearch.index';
import { PostgresSearchEngine } from './engines/postgres.engine';
import { SavedSearchesService } from './saved-searches.service';
import { SearchController, SimilarPromptsController } from './search.controller';
import { SearchDigestService } from './search-digest.service';
import { SearchIndexer } from './search-indexer';
import { SearchReindexer } from './search-reindexer';
import { SearchCache } from './search-cache';
import { SearchService } from './search.service';
import { SearchVocabulary } from './search-vocabulary';

/**
 * Search: one SearchEngine interface with a Postgres and an Elasticsearch engine (chosen by
 * ELASTICSEARCH_URL, falling back to Postgres when the node is down), the outbox-driven indexer,
 * the zero-downtime rebuild, saved/recent searches with a daily digest, and similar prompts.
 */
@Module({
  imports: [AuditModule, MailModule, OutboxModule, UsageModule],
  controllers: [SimilarPromptsController, SearchController],
  providers: [
    SearchCache,
    SearchVocabulary,
    PostgresSearchEngine,
    ElasticsearchIndex,
    ElasticsearchSearchEngine,
    SearchService,
    SavedSearchesService,
    SearchIndexer,
    SearchReindexer,
    SearchDigestService,
  ],
  exports: [SearchService, ElasticsearchIndex, SearchReindexer, SearchDigestService],
})
export class SearchModule {}
