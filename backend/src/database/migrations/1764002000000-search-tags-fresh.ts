import { MigrationInterface, QueryRunner } from 'typeorm';
import { refreshSearchTagsFunction } from './1764001800000-import-lanes';

/**
 * `pv_refresh_search_tags` (run by the triggers of tag links and tag renames) locks the prompts it
 * refreshes, in id order, before it reads their tag names.
 *
 * Its UPDATE read the tag links with the statement's snapshot. When it had to wait for a prompt
 * another transaction was changing (a bulk tagging of that prompt while an ADMIN renamed one of
 * its tags), it went on once that transaction committed, with the names read before: the prompt
 * kept `search_tags` without the tag just added, and full-text search missed it by that tag until
 * the prompt changed again (backend/test/concurrent-writes.int-spec.ts checks every prompt's
 * names). Now the wait happens in a statement of its own, and the UPDATE after it reads the
 * links as they are then. Locking 500 prompts a batch costs an import about a millisecond a batch.
 */
export class SearchTagsFresh1764002000000 implements MigrationInterface {
  name = 'SearchTagsFresh1764002000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      refreshSearchTagsFunction(`
        -- The wait for a concurrent change of these prompts, before the UPDATE's snapshot is taken.
        PERFORM 1 FROM prompts p WHERE p.id = ANY(targets) ORDER BY p.id FOR NO KEY UPDATE;`),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(refreshSearchTagsFunction(''));
  }
}
