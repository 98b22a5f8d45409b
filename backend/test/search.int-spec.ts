import { searchSuite } from './search-suite';

// The Postgres engine (the default): always on, on PGlite or on the real server with DATABASE_URL.
describe('Search on Postgres', () => {
  searchSuite({ engine: 'postgres', boot: () => ({}), ready: async () => undefined });
});
