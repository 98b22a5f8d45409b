import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import's uploaded file is kept only while it is being validated: validation reads it once
 * and writes every record to `import_rows`, which the preview, the commit and the error file read.
 * Until now every upload stayed in `transfer_blobs` for good (a 100,000-prompt CSV is 160 MB).
 * `imports.blob_id` becomes null once the file is deleted; the files of imports past validation
 * are deleted here.
 */
export class ImportFilesDropped1764002100000 implements MigrationInterface {
  name = 'ImportFilesDropped1764002100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE imports ALTER COLUMN blob_id DROP NOT NULL;
      -- The owner sees every tenant's rows only while RLS is not forced (one transaction).
      ALTER TABLE imports NO FORCE ROW LEVEL SECURITY;
      ALTER TABLE transfer_blobs NO FORCE ROW LEVEL SECURITY;
      DELETE FROM transfer_blobs b USING imports i WHERE b.id = i.blob_id AND i.status <> 'validating';
      UPDATE imports SET blob_id = NULL WHERE status <> 'validating';
      ALTER TABLE transfer_blobs FORCE ROW LEVEL SECURITY;
      ALTER TABLE imports FORCE ROW LEVEL SECURITY;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The deleted files cannot come back: an import without one keeps a random id.
    await q.query(`
      UPDATE imports SET blob_id = gen_random_uuid() WHERE blob_id IS NULL;
      ALTER TABLE imports ALTER COLUMN blob_id SET NOT NULL;
    `);
  }
}
