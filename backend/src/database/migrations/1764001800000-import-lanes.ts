import { MigrationInterface, QueryRunner } from 'typeorm';
import { REFRESH_SEARCH_TAGS_BY_JOIN } from './1764001200000-search-tags-unchanged';

/**
 * What lets an import's batches commit in parallel (issue 14, ImportRunner's lanes) without
 * waiting for each other or deadlocking:
 *
 * 1. New search words are inserted in sorted order. Two transactions inserting overlapping new
 *    words wait for each other's uncommitted rows of `search_words`; inserted in whatever order
 *    DISTINCT produced, each could hold a word the other waits for (a deadlock, one of them rolled
 *    back). In one order for every writer, the one that waits never holds a word the other still
 *    needs. The words written are the same as before.
 * 2. A transaction may defer its search generation bumps (`app.defer_search_generation` = `on`,
 *    transaction-local) and bump once when its prompts are written (PromptsRepository; a bulk
 *    creation does, before its audit events). Every statement that changes prompts bumps the
 *    organization's row of `search_generations`, whose row lock then lasts until the transaction
 *    ends: a batch's first INSERT of prompts made the other lane wait for this batch's whole
 *    commit. Deferred, the row is locked from the one bump to the commit only; the generation still
 *    changes in the transaction that changes the prompts, so the search cache's rule (migration
 *    1763900500000) holds as before.
 * 3. The tag names a tagging statement recomputes (`pv_refresh_search_tags`) are read per prompt
 *    through the prompt's own tag links (`prompt_tags_pkey`), the prompts found by their ids. As
 *    a join (migration 1764001200000) the planner, with statistics taken while an import was
 *    filling the tables, probed every tag of the organization for each prompt, or hashed every
 *    prompt of the organization: 157 ms per batch of 500 prompts 100,000 prompts into an import,
 *    14 ms now. The names written are the same as before.
 */
export class ImportLanes1764001800000 implements MigrationInterface {
  name = 'ImportLanes1764001800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(searchWordFunctions('ORDER BY 1, 2'));
    await q.query(bumpFunction(DEFERRAL_OFF));
    await q.query(refreshSearchTagsFunction(''));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(REFRESH_SEARCH_TAGS_BY_JOIN);
    await q.query(bumpFunction(''));
    await q.query(searchWordFunctions(''));
  }
}

/** The condition of this migration's `pv_bump_search_generations`: no deferral in force. */
export const DEFERRAL_OFF = `AND coalesce(current_setting('app.defer_search_generation', true), '') <> 'on'`;

/**
 * This migration's `pv_refresh_search_tags`, with `before` (statements) run before its UPDATE once
 * the function has opened the private-prompt policy.
 */
export function refreshSearchTagsFunction(before: string): string {
  return `
      CREATE OR REPLACE FUNCTION pv_refresh_search_tags(targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE was text := coalesce(current_setting('app.system', true), '');
      BEGIN
        PERFORM set_config('app.system', 'on', true);${before}
        -- OFFSET 0 keeps the tag links a subquery of their own, read by prompt id first.
        UPDATE prompts p SET search_tags = ${TAG_NAMES}
         WHERE p.id = ANY(targets) AND p.search_tags IS DISTINCT FROM ${TAG_NAMES};
        PERFORM set_config('app.system', was, true);
      END $$;
    `;
}

/** A prompt's tag names as `search_tags` holds them (`p`: the prompt). */
const TAG_NAMES = `coalesce(
  (SELECT array_agg(t.name ORDER BY lower(t.name))
     FROM (SELECT tag_id FROM prompt_tags WHERE prompt_id = p.id OFFSET 0) pt JOIN tags t ON t.id = pt.tag_id), '{}')`;

/** `pv_bump_search_generations` of migration 1763900500000, with `deferral` in its condition. */
export function bumpFunction(deferral: string): string {
  return `
    CREATE OR REPLACE FUNCTION pv_bump_search_generations(orgs uuid[]) RETURNS void
      LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      INSERT INTO search_generations AS g (organization_id, generation, changed_at)
        SELECT o, nextval('search_generation_seq'), clock_timestamp()
          FROM (SELECT DISTINCT unnest(orgs) AS o) s WHERE o IS NOT NULL ${deferral} ORDER BY o
      ON CONFLICT (organization_id)
        DO UPDATE SET generation = excluded.generation, changed_at = excluded.changed_at
    $$;`;
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
