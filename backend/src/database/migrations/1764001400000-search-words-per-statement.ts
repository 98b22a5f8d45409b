import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search words of new prompts are collected once per INSERT statement instead of once per row
 * (issue 14, import speed).
 *
 * `prompts_search_words` ran for every inserted row: a PL/pgSQL call and an
 * `INSERT … ON CONFLICT DO NOTHING` of that row's words into `search_words`. An import batch inserts
 * hundreds of prompts in one statement, whose words mostly repeat; a statement-level trigger with
 * the transition table of the new rows writes the distinct words of the whole statement with one
 * INSERT. Updates keep the row trigger (a transition table is not allowed on a trigger limited to
 * some columns, and updates change one prompt at a time). The words written are the same as before.
 */
export class SearchWordsPerStatement1764001400000 implements MigrationInterface {
  name = 'SearchWordsPerStatement1764001400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION prompts_search_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO search_words (organization_id, word)
          SELECT DISTINCT n.organization_id, w
            FROM new_prompts n CROSS JOIN LATERAL unnest(tsvector_to_array(n.search_vector)) w
           WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$'
          ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      DROP TRIGGER prompts_search_words ON prompts;
      CREATE TRIGGER prompts_search_words AFTER UPDATE OF title, description, content, search_tags
        ON prompts FOR EACH ROW EXECUTE FUNCTION prompts_search_words();
      CREATE TRIGGER prompts_search_words_insert AFTER INSERT ON prompts
        REFERENCING NEW TABLE AS new_prompts FOR EACH STATEMENT EXECUTE FUNCTION prompts_search_words_inserted();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER prompts_search_words_insert ON prompts;
      DROP FUNCTION prompts_search_words_inserted();
      DROP TRIGGER prompts_search_words ON prompts;
      CREATE TRIGGER prompts_search_words AFTER INSERT OR UPDATE OF title, description, content, search_tags
        ON prompts FOR EACH ROW EXECUTE FUNCTION prompts_search_words();
    `);
  }
}
