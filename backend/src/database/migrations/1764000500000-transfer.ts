import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Import and export (issue 14, docs/import-export.md).
 *
 * - `transfer_blobs`: uploaded import files and finished export files, in chunks of at most 1 MiB
 *   (`seq` 0, 1, …). They live in the database rather than in DATA_DIR because the job that reads
 *   an upload (or writes an export) may run in the worker process, on another machine.
 * - `imports`: one upload, its status (`validating` → `ready` → `importing` → `done`, or `failed`),
 *   its counts and the options of its commit. `commit_token` makes a repeated commit a no-op.
 * - `import_rows`: one row per record found in the file, with what validation found (slug, title,
 *   action, errors, the normalized prompt in `data`) and, once committed, its `outcome`. A commit
 *   job handles rows whose outcome is still null, batch by batch in transactions of their own, so
 *   a job killed mid-way resumes where it stopped and never imports a row twice.
 * - `exports`: a requested export, its selection, its status and its file (a blob) until `expires_at`.
 *
 * The sweeper (stalled jobs, expired files) looks across organizations in one system transaction,
 * hence `app_is_system()` in the policies of `imports`, `exports` and `transfer_blobs`.
 */
export class Transfer1764000500000 implements MigrationInterface {
  name = 'Transfer1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE transfer_blobs (
        id uuid NOT NULL,
        seq integer NOT NULL CHECK (seq >= 0),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        data bytea NOT NULL,
        PRIMARY KEY (id, seq)
      );
      ${tenantTableSql('transfer_blobs', { grants: 'SELECT, INSERT, DELETE', alsoVisibleWhen: 'app_is_system()' })}

      CREATE TABLE imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        filename text NOT NULL CHECK (char_length(filename) <= 500),
        format text NOT NULL CHECK (format IN ('csv', 'json', 'markdown', 'zip')),
        size_bytes bigint NOT NULL,
        blob_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'validating'
          CHECK (status IN ('validating', 'ready', 'importing', 'done', 'failed')),
        error text,
        variables text[] NOT NULL DEFAULT '{}',
        on_duplicate text CHECK (on_duplicate IN ('skip', 'new_version', 'rename')),
        collection_id uuid,
        tags text[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        committed_at timestamptz,
        completed_at timestamptz
      );
      CREATE INDEX imports_org_idx ON imports (organization_id, created_at DESC, id);
      ${tenantTableSql('imports', {
        grants: 'SELECT, INSERT, UPDATE, DELETE',
        alsoVisibleWhen: 'app_is_system()',
        alsoWritableWhen: 'app_is_system()',
      })}

      CREATE TABLE import_rows (
        import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        row integer NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        source text,
        slug text,
        title text,
        action text NOT NULL CHECK (action IN ('create', 'new_version', 'rename', 'skip')),
        duplicate text CHECK (duplicate IN ('file', 'organization')),
        existing_prompt_id uuid,
        errors jsonb NOT NULL DEFAULT '[]',
        data jsonb,
        outcome text CHECK (outcome IN ('created', 'updated', 'skipped', 'failed')),
        outcome_detail text,
        prompt_id uuid,
        PRIMARY KEY (import_id, row)
      );
      CREATE INDEX import_rows_pending_idx ON import_rows (import_id, row) WHERE outcome IS NULL;
      ${tenantTableSql('import_rows', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        created_by uuid REFERENCES users (id) ON DELETE CASCADE,
        format text NOT NULL CHECK (format IN ('json', 'csv', 'markdown')),
        selection jsonb NOT NULL,
        include_versions boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        error text,
        count integer NOT NULL DEFAULT 0,
        blob_id uuid,
        size_bytes bigint,
        filename text,
        content_type text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz
      );
      CREATE INDEX exports_org_idx ON exports (organization_id, created_at DESC, id);
      CREATE INDEX exports_expiry_idx ON exports (expires_at) WHERE blob_id IS NOT NULL;
      ${tenantTableSql('exports', {
        grants: 'SELECT, INSERT, UPDATE, DELETE',
        alsoVisibleWhen: 'app_is_system()',
        alsoWritableWhen: 'app_is_system()',
      })}
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE exports; DROP TABLE import_rows; DROP TABLE imports; DROP TABLE transfer_blobs;`,
    );
  }
}
