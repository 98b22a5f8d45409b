#!/usr/bin/env node
// `npm run search:reindex`: builds the backend if its sources are newer than the build, then
// rebuilds the Elasticsearch index into a new index and swaps the alias (no downtime).
// Needs ELASTICSEARCH_URL and the database settings of the running deployment (.env is read).
import { runBuiltEntry } from './run-built.mjs';

runBuiltEntry('modules/search/search-reindex.main.js');
