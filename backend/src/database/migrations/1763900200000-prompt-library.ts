import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * The prompt library: prompts with their immutable versions and release labels, taxonomy (tags,
 * categories, nested collections), favorites, saved test cases and threaded comments.
 *
 * Private prompts are visible to their author only. Besides the tenant policy, `prompts` carries
 * a RESTRICTIVE policy (ANDed with the tenant one) so that no query of the runtime role can read a
 * private prompt of someone else; tables holding a prompt's content (versions, test cases,
 * comments, labels) are restricted to rows whose prompt the caller can see. System work (the
 * search indexer) says so with `app.system` and sees every prompt of the organization it runs in.
 */
export class PromptLibrary1763900200000 implements MigrationInterface {
  name = 'PromptLibrary1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX categories_org_name_key ON categories (organization_id, lower(name));
      ${tenantTableSql('categories', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      -- Every organization starts with the four default categories, whichever path created it
      -- (sign-up, POST /organizations, SSO provisioning). Creation runs scoped to the new id.
      CREATE FUNCTION organizations_default_categories() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO categories (organization_id, name)
          VALUES (NEW.id, 'Marketing'), (NEW.id, 'Engineering'), (NEW.id, 'Sales'), (NEW.id, 'Support');
        RETURN NEW;
      END $$;
      CREATE TRIGGER organizations_default_categories AFTER INSERT ON organizations
        FOR EACH ROW EXECUTE FUNCTION organizations_default_categories();

      CREATE TABLE collections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        parent_id uuid REFERENCES collections (id) ON DELETE RESTRICT,
        name text NOT NULL,
        description text,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collections_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id)
      );
      CREATE UNIQUE INDEX collections_org_parent_name_key
        ON collections (organization_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
      CREATE INDEX collections_parent_idx ON collections (parent_id);
      ${tenantTableSql('collections', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE tags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX tags_org_name_key ON tags (organization_id, lower(name));
      ${tenantTableSql('tags', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE prompts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        slug text NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        content text NOT NULL,
        variables jsonb NOT NULL DEFAULT '[]',
        metadata jsonb NOT NULL DEFAULT '{}',
        category_id uuid REFERENCES categories (id) ON DELETE SET NULL,
        collection_id uuid REFERENCES collections (id) ON DELETE SET NULL,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
        visibility text NOT NULL DEFAULT 'organization' CHECK (visibility IN ('private', 'organization')),
        version integer NOT NULL DEFAULT 1,
        views bigint NOT NULL DEFAULT 0,
        uses bigint NOT NULL DEFAULT 0,
        favorites integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      );
      CREATE UNIQUE INDEX prompts_org_slug_key ON prompts (organization_id, slug);
      CREATE INDEX prompts_org_updated_idx ON prompts (organization_id, updated_at DESC, id DESC);
      CREATE INDEX prompts_org_created_idx ON prompts (organization_id, created_at DESC, id DESC);
      CREATE INDEX prompts_org_author_idx ON prompts (organization_id, author_id);
      CREATE INDEX prompts_org_category_idx ON prompts (organization_id, category_id);
      CREATE INDEX prompts_collection_idx ON prompts (collection_id);
      ${tenantTableSql('prompts', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}
      CREATE POLICY prompts_private ON prompts AS RESTRICTIVE
        USING (visibility = 'organization' OR author_id = app_user_id() OR app_is_system());

      CREATE TABLE prompt_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        version integer NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        content text NOT NULL,
        variables jsonb NOT NULL DEFAULT '[]',
        metadata jsonb NOT NULL DEFAULT '{}',
        change_note text,
        changed_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX prompt_versions_prompt_version_key ON prompt_versions (prompt_id, version);
      ${tenantTableSql('prompt_versions', { grants: 'SELECT, INSERT, DELETE' })}

      CREATE TABLE prompt_labels (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        label text NOT NULL,
        version integer NOT NULL,
        updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT prompt_labels_pkey PRIMARY KEY (prompt_id, label)
      );
      ${tenantTableSql('prompt_labels', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE prompt_label_moves (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        label text NOT NULL,
        from_version integer,
        to_version integer NOT NULL,
        moved_by uuid REFERENCES users (id) ON DELETE SET NULL,
        moved_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX prompt_label_moves_prompt_idx ON prompt_label_moves (prompt_id, moved_at DESC);
      ${tenantTableSql('prompt_label_moves', { grants: 'SELECT, INSERT' })}

      CREATE TABLE prompt_tags (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        CONSTRAINT prompt_tags_pkey PRIMARY KEY (prompt_id, tag_id)
      );
      CREATE INDEX prompt_tags_tag_idx ON prompt_tags (tag_id);
      ${tenantTableSql('prompt_tags', { grants: 'SELECT, INSERT, DELETE' })}

      CREATE TABLE favorites (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT favorites_pkey PRIMARY KEY (prompt_id, user_id)
      );
      CREATE INDEX favorites_user_idx ON favorites (organization_id, user_id);
      ${tenantTableSql('favorites', { grants: 'SELECT, INSERT, DELETE' })}

      CREATE TABLE prompt_test_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        name text NOT NULL,
        variables jsonb NOT NULL DEFAULT '{}',
        expected_contains text,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX prompt_test_cases_prompt_idx ON prompt_test_cases (prompt_id, created_at);
      ${tenantTableSql('prompt_test_cases', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}

      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        prompt_id uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
        parent_id uuid REFERENCES comments (id) ON DELETE CASCADE,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      );
      CREATE INDEX comments_prompt_idx ON comments (prompt_id, created_at);
      CREATE INDEX comments_parent_idx ON comments (parent_id);
      ${tenantTableSql('comments', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}
    `);

    // What belongs to a prompt is visible exactly when the prompt is (prompts' own policies apply
    // inside the sub-select, so a private prompt of someone else hides its versions too).
    for (const table of [
      'prompt_versions',
      'prompt_labels',
      'prompt_label_moves',
      'prompt_test_cases',
      'comments',
    ]) {
      await q.query(`
        CREATE POLICY ${table}_prompt_visible ON ${table} AS RESTRICTIVE
          USING (EXISTS (SELECT 1 FROM prompts p WHERE p.id = ${table}.prompt_id));
      `);
    }

    // Organizations created before this migration get their default categories too.
    await q.query(`
      INSERT INTO categories (organization_id, name)
        SELECT o.id, c.name FROM organizations o
        CROSS JOIN (VALUES ('Marketing'), ('Engineering'), ('Sales'), ('Support')) AS c (name)
        ON CONFLICT DO NOTHING;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE comments;
      DROP TABLE prompt_test_cases;
      DROP TABLE favorites;
      DROP TABLE prompt_tags;
      DROP TABLE prompt_label_moves;
      DROP TABLE prompt_labels;
      DROP TABLE prompt_versions;
      DROP TABLE prompts;
      DROP TABLE tags;
      DROP TABLE collections;
      DROP TRIGGER organizations_default_categories ON organizations;
      DROP FUNCTION organizations_default_categories();
      DROP TABLE categories;
    `);
  }
}
