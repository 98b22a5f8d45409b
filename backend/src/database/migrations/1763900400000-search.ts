import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantTableSql } from '../tenancy/rls';

/**
 * Search: the Postgres engine's weighted full-text vector on prompts (title A, description and tags
 * B, content C) with a GIN index, trigram indexes for typo tolerance and similar prompts, a per
 * organization vocabulary that fuzzy terms are expanded against, and saved searches, their
 * subscriptions and recent searches.
 *
 * The 'simple' text search configuration (lower-casing, no stemming, no stop words) is used on
 * purpose: the Elasticsearch engine indexes with the `standard` analyzer, which does the same, so
 * both engines find the same prompts for the same query. Angle brackets are read as spaces:
 * Postgres' parser would otherwise drop `<instructions>`-style tags, common in prompts, which
 * Elasticsearch indexes as words.
 */
export class Search1763900400000 implements MigrationInterface {
  name = 'Search1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      -- array_to_string is only STABLE (element output functions may vary); for text[] it is not.
      CREATE FUNCTION pv_search_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$;

      -- Tag names of the prompt, kept current by the triggers below, so the vector can weigh them.
      ALTER TABLE prompts ADD COLUMN search_tags text[] NOT NULL DEFAULT '{}';
      ALTER TABLE prompts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, translate(title, '<>', '  ')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, translate(description, '<>', '  ')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, translate(pv_search_text(search_tags), '<>', '  ')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, translate(content, '<>', '  ')), 'C')
      ) STORED;
      CREATE INDEX prompts_search_vector_idx ON prompts USING gin (search_vector);
      CREATE INDEX prompts_title_trgm_idx ON prompts USING gin (title gin_trgm_ops);
      CREATE INDEX prompts_content_trgm_idx ON prompts USING gin (content gin_trgm_ops);

      -- Recomputes the tag names of the given prompts in one statement. Tag changes by one member
      -- reach other members' private prompts too (a rename by an ADMIN), so the update opens the
      -- private-prompt policy for this statement; the tenant policy still confines it to the
      -- caller's organization.
      CREATE FUNCTION pv_refresh_search_tags(targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE was text := coalesce(current_setting('app.system', true), '');
      BEGIN
        PERFORM set_config('app.system', 'on', true);
        UPDATE prompts p SET search_tags = coalesce(
          (SELECT array_agg(t.name ORDER BY lower(t.name))
             FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = p.id), '{}')
         WHERE p.id = ANY(targets);
        PERFORM set_config('app.system', was, true);
      END $$;

      -- Statement-level with transition tables: tagging many prompts at once (imports, bulk
      -- actions, a tag deleted with its rows) updates each affected prompt once.
      CREATE FUNCTION prompt_tags_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Both triggers name their transition table changed_rows (new rows on insert, old on delete).
        PERFORM pv_refresh_search_tags(ARRAY(SELECT DISTINCT prompt_id FROM changed_rows));
        RETURN NULL;
      END $$;
      CREATE TRIGGER prompt_tags_search_sync_insert AFTER INSERT ON prompt_tags
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION prompt_tags_search_sync();
      CREATE TRIGGER prompt_tags_search_sync_delete AFTER DELETE ON prompt_tags
        REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION prompt_tags_search_sync();

      CREATE FUNCTION tags_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pv_refresh_search_tags(ARRAY(SELECT prompt_id FROM prompt_tags WHERE tag_id = NEW.id));
        RETURN NULL;
      END $$;
      CREATE TRIGGER tags_search_sync AFTER UPDATE OF name ON tags
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION tags_search_sync();

      -- The vocabulary fuzzy terms are expanded against (words only grow; a stale word expands
      -- into a term that matches nothing, which is harmless).
      CREATE TABLE search_words (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        word text NOT NULL,
        CONSTRAINT search_words_pkey PRIMARY KEY (organization_id, word)
      );
      CREATE INDEX search_words_word_trgm_idx ON search_words USING gin (word gin_trgm_ops);
      ${tenantTableSql('search_words', { grants: 'SELECT, INSERT' })}

      CREATE FUNCTION prompts_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO search_words (organization_id, word)
          SELECT DISTINCT NEW.organization_id, w FROM unnest(tsvector_to_array(NEW.search_vector)) w
           WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$'
          ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER prompts_search_words AFTER INSERT OR UPDATE OF title, description, content, search_tags
        ON prompts FOR EACH ROW EXECUTE FUNCTION prompts_search_words();

      CREATE TABLE saved_searches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        query text NOT NULL DEFAULT '',
        filters jsonb NOT NULL DEFAULT '{}',
        shared boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX saved_searches_org_user_name_key ON saved_searches (organization_id, user_id, lower(name));
      CREATE INDEX saved_searches_org_shared_idx ON saved_searches (organization_id) WHERE shared;
      ${tenantTableSql('saved_searches', { grants: 'SELECT, INSERT, UPDATE, DELETE', alsoVisibleWhen: 'app_is_system()' })}
      -- One's own saved searches and the shared ones; the daily digest (system) reads them all.
      CREATE POLICY saved_searches_owner ON saved_searches AS RESTRICTIVE
        USING (shared OR user_id = app_user_id() OR app_is_system())
        WITH CHECK (user_id = app_user_id());

      CREATE TABLE search_subscriptions (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        saved_search_id uuid NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        last_notified_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT search_subscriptions_pkey PRIMARY KEY (saved_search_id, user_id)
      );
      CREATE INDEX search_subscriptions_due_idx ON search_subscriptions (last_notified_at);
      ${tenantTableSql('search_subscriptions', { grants: 'SELECT, INSERT, UPDATE, DELETE', alsoVisibleWhen: 'app_is_system()' })}
      CREATE POLICY search_subscriptions_owner ON search_subscriptions AS RESTRICTIVE
        USING (user_id = app_user_id() OR app_is_system())
        WITH CHECK (user_id = app_user_id());

      CREATE TABLE recent_searches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        query text NOT NULL DEFAULT '',
        filters jsonb NOT NULL DEFAULT '{}',
        -- The normalized query and filters: searching the same thing again moves it to the top.
        dedupe_key text NOT NULL,
        searched_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX recent_searches_user_key ON recent_searches (organization_id, user_id, dedupe_key);
      CREATE INDEX recent_searches_user_idx ON recent_searches (organization_id, user_id, searched_at DESC);
      ${tenantTableSql('recent_searches', { grants: 'SELECT, INSERT, UPDATE, DELETE' })}
      CREATE POLICY recent_searches_owner ON recent_searches AS RESTRICTIVE
        USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());

      -- Rebuilding the Elasticsearch index walks every organization as system work.
      CREATE POLICY organizations_system_read ON organizations FOR SELECT USING (app_is_system());
    `);

    // Prompts that existed before this migration.
    await q.query(`
      UPDATE prompts p SET search_tags = s.names FROM (
        SELECT pt.prompt_id, array_agg(t.name ORDER BY lower(t.name)) AS names
          FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id GROUP BY pt.prompt_id) s
       WHERE s.prompt_id = p.id;
      INSERT INTO search_words (organization_id, word)
        SELECT DISTINCT p.organization_id, w FROM prompts p, unnest(tsvector_to_array(p.search_vector)) w
         WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$'
        ON CONFLICT DO NOTHING;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY organizations_system_read ON organizations;
      DROP TABLE recent_searches;
      DROP TABLE search_subscriptions;
      DROP TABLE saved_searches;
      DROP TRIGGER prompts_search_words ON prompts;
      DROP FUNCTION prompts_search_words();
      DROP TABLE search_words;
      DROP TRIGGER tags_search_sync ON tags;
      DROP FUNCTION tags_search_sync();
      DROP TRIGGER prompt_tags_search_sync_delete ON prompt_tags;
      DROP TRIGGER prompt_tags_search_sync_insert ON prompt_tags;
      DROP FUNCTION prompt_tags_search_sync();
      DROP FUNCTION pv_refresh_search_tags(uuid[]);
      DROP INDEX prompts_content_trgm_idx;
      DROP INDEX prompts_title_trgm_idx;
      DROP INDEX prompts_search_vector_idx;
      ALTER TABLE prompts DROP COLUMN search_vector;
      ALTER TABLE prompts DROP COLUMN search_tags;
      DROP FUNCTION pv_search_text(text[]);
    `);
  }
}
