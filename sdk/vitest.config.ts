import { defineConfig } from 'vitest/config';

/**
 * Two suites: `unit` (no network: a fake fetch, fake timers) and `integration` (the built backend
 * started as a real server on a free port with an embedded database; `npm run build:backend` first).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 240_000,
          // One server for the whole file, tests in order (the last one stops it).
          sequence: { concurrent: false },
          fileParallelism: false,
        },
      },
    ],
  },
});
