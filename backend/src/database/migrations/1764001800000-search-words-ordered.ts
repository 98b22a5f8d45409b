import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New search words are inserted in sorted order (issue 14: an import's batches committed in
 * parallel). Two transactions inserting overlapping new words wait for each other's uncommitted
 * rows of `search_words`; inserted in whatever order DISTINCT produced, each could hold a word the
 * other waits for (a deadlock, one of them rolled back). In one order for every writer, the one
 * that waits never holds a word the other still needs. The words written are the same as before.
 */
export class SearchWordsOrdered1764001800000 implements MigrationInterface {
  name = 'SearchWordsOrdered1764001800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(searchWordFunctions('ORDER BY 1, 2'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(searchWordFunctions(''));
  }
}

/** The two trigger functions of migrations 1763900400000 and 1764001400000, with `order`. */
function searchWordFunctions(order: string): string {
  return `
    CREATE OR REPLACE FUNCTION prompts_search_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_words (organization_id, word)
        SELECT DISTINCT n.organization_id, w
          FROM new_prompts n CROSS JOIN LATERAL unnest(tsvector_to_array(n.search_vector)) w
         WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$'
         ${order}
        ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION prompts_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_words (organization_id, word)
        SELECT DISTINCT NEW.organization_id, w FROM unnest(tsvector_to_array(NEW.search_vector)) w
         WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alnum:]]+$'
         ${order}
        ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$;`;
}
