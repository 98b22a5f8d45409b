import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the two prompt list orders the first migration did not cover, so every sort of
 * GET /prompts is a keyset walk of an index: title (A–Z, case-insensitive) and popularity (the
 * expression PromptsService sorts by).
 */
export class PromptListIndexes1763900250000 implements MigrationInterface {
  name = 'PromptListIndexes1763900250000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX prompts_org_title_idx ON prompts (organization_id, lower(title), id);
      CREATE INDEX prompts_org_popularity_idx
        ON prompts (organization_id, (views + 3 * uses + 10 * favorites) DESC, id DESC);
      CREATE INDEX prompt_label_moves_prompt_label_idx ON prompt_label_moves (prompt_id, label, moved_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX prompt_label_moves_prompt_label_idx;
      DROP INDEX prompts_org_popularity_idx;
      DROP INDEX prompts_org_title_idx;
    `);
  }
}
