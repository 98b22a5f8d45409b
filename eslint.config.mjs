// One ESLint entry point for the whole repository; each app keeps its own rules beside its code.
import backend from './backend/eslint.config.mjs';
import admin from './admin/eslint.config.mjs';
import sdk from './sdk/eslint.config.mjs';

export default [
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      '.angular/**',
      '.data/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'admin/src/app/core/api/schema.d.ts',
      'sdk/dist/**',
      'sdk/src/generated/**',
    ],
  },
  ...backend,
  ...admin,
  ...sdk,
];
