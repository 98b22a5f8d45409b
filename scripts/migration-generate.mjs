#!/usr/bin/env node
// `npm run migration:generate -- <Name>`: diffs the entities against a real PostgreSQL
// (DATABASE_URL) and writes a migration under backend/src/database/migrations. RLS policies and
// grants are not entity metadata: add them to the generated file by hand, in the same migration.
import { spawnSync } from 'node:child_process';

const name = process.argv[2];
if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
  console.error('usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
if (!process.env.DATABASE_URL) {
  console.error('migration:generate compares against a real database: set DATABASE_URL (see .env.example)');
  process.exit(2);
}
const result = spawnSync(
  'npx',
  [
    'typeorm',
    'migration:generate',
    '-d',
    'dist/backend/database/data-source.js',
    '--pretty',
    `backend/src/database/migrations/${name}`,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
