import { MigrationInterface, QueryRunner } from 'typeorm';

/** The function as this migration defines it (migration 1764001800000 goes back to it on revert). */
export const REFRESH_SEARCH_TAGS_BY_JOIN = `
      CREATE OR REPLACE FUNCTION pv_refresh_search_tags(targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE was text := coalesce(current_setting('app.system', true), '');
      BEGIN
        PERFORM set_config('app.system', 'on', true);
        UPDATE prompts p SET search_tags = x.names
          FROM (SELECT q.id, coalesce(
                  (SELECT array_agg(t.name ORDER BY lower(t.name))
                     FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = q.id), '{}') AS names
                  FROM unnest(targets) AS q(id)) x
         WHERE p.id = x.id AND p.search_tags IS DISTINCT FROM x.names;
        PERFORM set_config('app.system', was, true);
      END $$;
    `;

/**
 * Tagging leaves a prompt alone when its `search_tags` already hold its tag names (issue 14, bulk
 * import).
 *
 * The statement trigger on `prompt_tags` recomputes `search_tags` of every prompt it touched. An
 * update of a prompt rewrites its row: the generated `search_vector` is computed again, the GIN
 * indexes (vector, title and content trigrams) get new entries and `prompts_search_words` runs
 * again. A bulk import writes each new prompt with its `search_tags` already set, so the refresh
 * after its tags are attached now skips those rows (`IS DISTINCT FROM`) instead of rewriting
 * every prompt it had just inserted. Every other tagging path computes the same names as before.
 */
export class SearchTagsUnchanged1764001200000 implements MigrationInterface {
  name = 'SearchTagsUnchanged1764001200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(REFRESH_SEARCH_TAGS_BY_JOIN);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION pv_refresh_search_tags(targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE was text := coalesce(current_setting('app.system', true), '');
      BEGIN
        PERFORM set_config('app.system', 'on', true);
        UPDATE prompts p SET search_tags = coalesce(
          (SELECT array_agg(t.name ORDER BY lower(t.name))
             FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = p.id), '{}')
         WHERE p.id = ANY(targets);
        PERFORM set_config('app.system', was, true);
      END $$;
    `);
  }
}
