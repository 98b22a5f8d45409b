import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search performance (see docs/benchmarks.md, "Search").
 *
 * 1. The search vector is stored inline (STORAGE MAIN: compressed, in the heap row) instead of in
 *    the TOAST table. Under row-level security the tsquery match is a per-row check over the
 *    organization's prompts (`@@` is not LEAKPROOF, so it cannot be an index condition); with the
 *    vector out of line, each check first fetched it from TOAST through the TOAST index, about
 *    three times the cost of the match itself. Existing rows are rewritten once so the change
 *    applies to them too.
 *
 * 2. `search_generations`: one number per organization that changes, in the same transaction,
 *    whenever any of its prompts is inserted, updated (content, tags, status, visibility, the
 *    favorites count; not the view and use counters alone) or deleted. The search result cache (`SearchCache`) stores a result
 *    with the generation it read before searching and serves it only while the generation is
 *    unchanged (and for at most SEARCH_CACHE_TTL_SECONDS), so a cached answer is one a fresh search
 *    would give, but for popularity from use counts flushed since. The Elasticsearch indexer
 *    moves it again once the index holds a change (`pv_bump_search_generation()`), and `changed_at`
 *    lets the cache wait for the index refresh before it stores an Elasticsearch answer. Renaming a
 *    category or a user moves it too, since cached answers carry facet labels.
 *
 *    The table has row-level security enabled but not forced: tenants read their own row; only the
 *    owner's SECURITY DEFINER functions write it. Generation values come from one sequence, so a
 *    value is never reused. There is deliberately no foreign key to organizations: the bump runs in
 *    the AFTER DELETE trigger of prompts, also while an organization is being deleted (cascade).
 */
export class SearchPerformance1763900500000 implements MigrationInterface {
  name = 'SearchPerformance1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE prompts ALTER COLUMN search_vector SET STORAGE MAIN;
      -- Rewrite existing rows (the generated vector is recomputed and stored inline). The owner
      -- sees every row only while RLS is not forced; both ALTERs are part of this transaction.
      ALTER TABLE prompts NO FORCE ROW LEVEL SECURITY;
      ALTER TABLE prompts DISABLE TRIGGER prompts_search_words;
      UPDATE prompts SET search_tags = search_tags;
      ALTER TABLE prompts ENABLE TRIGGER prompts_search_words;
      ALTER TABLE prompts FORCE ROW LEVEL SECURITY;
    `);

    await q.query(`
      CREATE SEQUENCE search_generation_seq;
      CREATE TABLE search_generations (
        organization_id uuid PRIMARY KEY,
        generation bigint NOT NULL,
        changed_at timestamptz NOT NULL
      );
      GRANT SELECT ON search_generations TO vault_app;
      ALTER TABLE search_generations ENABLE ROW LEVEL SECURITY;
      CREATE POLICY search_generations_tenant ON search_generations FOR SELECT
        USING (organization_id = app_org_id());

      -- Organizations in a stable order, so that two statements bumping several never deadlock.
      CREATE FUNCTION pv_bump_search_generations(orgs uuid[]) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        INSERT INTO search_generations AS g (organization_id, generation, changed_at)
          SELECT o, nextval('search_generation_seq'), clock_timestamp()
            FROM (SELECT DISTINCT unnest(orgs) AS o) s WHERE o IS NOT NULL ORDER BY o
        ON CONFLICT (organization_id)
          DO UPDATE SET generation = excluded.generation, changed_at = excluded.changed_at
      $$;
      REVOKE ALL ON FUNCTION pv_bump_search_generations(uuid[]) FROM PUBLIC;

      -- For the Elasticsearch indexer: only the organization of the calling transaction.
      CREATE FUNCTION pv_bump_search_generation() RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT pv_bump_search_generations(ARRAY[app_org_id()])
      $$;
      REVOKE ALL ON FUNCTION pv_bump_search_generation() FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION pv_bump_search_generation() TO vault_app;

      CREATE FUNCTION prompts_search_generation() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pv_bump_search_generations(ARRAY(SELECT DISTINCT organization_id FROM changed_rows));
        RETURN NULL;
      END $$;
      REVOKE ALL ON FUNCTION prompts_search_generation() FROM PUBLIC;
      CREATE TRIGGER prompts_search_generation_insert AFTER INSERT ON prompts
        REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION prompts_search_generation();
      -- Updates count unless they changed only the view and use counters: those are flushed every
      -- second for prompts fetched at runtime, and would otherwise empty the organization's cache
      -- each second. Popularity (uses) in cached answers may then lag by the cache's entry lifetime
      -- (SEARCH_CACHE_TTL_SECONDS); the Elasticsearch index only takes it up when a prompt changes.
      CREATE FUNCTION prompts_search_generation_update() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pv_bump_search_generations(ARRAY(
          SELECT DISTINCT n.organization_id FROM new_rows n JOIN old_rows o ON o.id = n.id
           WHERE to_jsonb(n) - '{views,uses,search_vector}'::text[]
                 IS DISTINCT FROM to_jsonb(o) - '{views,uses,search_vector}'::text[]));
        RETURN NULL;
      END $$;
      REVOKE ALL ON FUNCTION prompts_search_generation_update() FROM PUBLIC;
      CREATE TRIGGER prompts_search_generation_update AFTER UPDATE ON prompts
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION prompts_search_generation_update();
      CREATE TRIGGER prompts_search_generation_delete AFTER DELETE ON prompts
        REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION prompts_search_generation();

      -- Facet labels are category and author names: cached answers carry them too.
      CREATE FUNCTION categories_search_generation() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pv_bump_search_generations(ARRAY[NEW.organization_id]);
        RETURN NULL;
      END $$;
      REVOKE ALL ON FUNCTION categories_search_generation() FROM PUBLIC;
      CREATE TRIGGER categories_search_generation AFTER UPDATE OF name ON categories
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION categories_search_generation();

      -- A user belongs to several organizations; their memberships are visible to a transaction
      -- acting as that user, so the lookup runs as them for its duration.
      CREATE FUNCTION users_search_generation() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE was text := coalesce(current_setting('app.user_id', true), '');
      BEGIN
        PERFORM set_config('app.user_id', NEW.id::text, true);
        PERFORM pv_bump_search_generations(ARRAY(SELECT organization_id FROM memberships WHERE user_id = NEW.id));
        PERFORM set_config('app.user_id', was, true);
        RETURN NULL;
      END $$;
      REVOKE ALL ON FUNCTION users_search_generation() FROM PUBLIC;
      CREATE TRIGGER users_search_generation AFTER UPDATE OF name ON users
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION users_search_generation();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER users_search_generation ON users;
      DROP FUNCTION users_search_generation();
      DROP TRIGGER categories_search_generation ON categories;
      DROP FUNCTION categories_search_generation();
      DROP TRIGGER prompts_search_generation_delete ON prompts;
      DROP TRIGGER prompts_search_generation_update ON prompts;
      DROP TRIGGER prompts_search_generation_insert ON prompts;
      DROP FUNCTION prompts_search_generation_update();
      DROP FUNCTION prompts_search_generation();
      DROP FUNCTION pv_bump_search_generation();
      DROP FUNCTION pv_bump_search_generations(uuid[]);
      DROP TABLE search_generations;
      DROP SEQUENCE search_generation_seq;
      ALTER TABLE prompts ALTER COLUMN search_vector SET STORAGE EXTENDED;
    `);
  }
}
