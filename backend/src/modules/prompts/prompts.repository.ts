import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { preparedQuery, TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { PromptStatus, PromptVisibility, TenantUser } from './prompt.model';
import {
  PROMPT_BY_ID_SQL,
  PROMPT_COLUMNS,
  promptListStatement,
  PromptListFilters,
  PromptSort,
  visibleToSql,
} from './prompts.sql';
import type { PromptMetadata, VariableDefinition } from './variables';
import { returned } from '../../database/returned-rows';

/** A row of `prompts` as the statements here read it: the one definition of the prompt's shape. */
export interface PromptRow {
  id: string;
  organization_id: string;
  slug: string;
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
  category_id: string | null;
  collection_id: string | null;
  author_id: string | null;
  status: PromptStatus;
  visibility: PromptVisibility;
  version: number;
  /** bigint columns arrive as text. */
  views: string;
  uses: string;
  favorites: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

/** A prompt with what its response adds: tags, labels, the caller's favorite, the list cursor key. */
export interface PromptViewRow extends PromptRow {
  tags: string[];
  labels: Record<string, number>;
  favorited: boolean;
  cursor_key: string;
}

/** Columns a new prompt is written with (jsonb ones as JSON text). */
export interface PromptInsert {
  organization_id: string;
  title: string;
  description: string;
  content: string;
  variables: string;
  metadata: string;
  category_id: string | null;
  collection_id: string | null;
  author_id: string;
  status: PromptStatus;
  visibility: PromptVisibility;
  published_at: Date | null;
}

/** Columns a change may set (jsonb ones as JSON text). */
export type PromptChange = Partial<
  Omit<PromptInsert, 'organization_id' | 'author_id'> & { version: number; slug: string }
>;

/** Prompts `p` the user `$3` can see. */
const VISIBLE_TO_USER_3 = visibleToSql('$3');
const VISIBLE_SQL = `SELECT ${PROMPT_COLUMNS} FROM prompts p
        WHERE p.id = $1 AND p.organization_id = $2 AND ${VISIBLE_TO_USER_3}
        `;
const VISIBLE_FOR_UPDATE_SQL = `${VISIBLE_SQL}FOR UPDATE`;

/**
 * Prompts, their tags and favorites. The reads of get, list and the visibility check are prepared
 * statements: planning under row-level security costs more than running these index lookups.
 */
@Injectable()
export class PromptsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /**
   * A prompt with its response fields, if the user can see it. `final`: the request's last
   * statement, committed with it (`TenantTransactions.finalRead`).
   */
  async findView(who: TenantUser, id: string, final = false): Promise<PromptViewRow | undefined> {
    const params = [who.organizationId, who.userId, id];
    const [row] = final
      ? await this.transactions.finalRead<PromptViewRow>(PROMPT_BY_ID_SQL, params)
      : await preparedQuery<PromptViewRow>(this.em, PROMPT_BY_ID_SQL, params);
    return row;
  }

  /**
   * One page (plus one row to tell whether more follow) of the prompts the user can see; the
   * request's last statement, committed with it (`TenantTransactions.finalRead`).
   */
  list(
    who: TenantUser,
    filters: PromptListFilters,
    sort: PromptSort,
    cursor: { k: string; id: string } | undefined,
    limit: number,
  ): Promise<PromptViewRow[]> {
    const { sql, params } = promptListStatement(filters, sort, cursor, limit);
    return this.transactions.finalRead<PromptViewRow>(sql, [who.organizationId, who.userId, ...params]);
  }

  /** The prompt if the user can see it (same organization; private ones only for their author). */
  async findVisible(who: TenantUser, id: string, lock = false): Promise<PromptRow | undefined> {
    const [row] = await preparedQuery<PromptRow>(this.em, lock ? VISIBLE_FOR_UPDATE_SQL : VISIBLE_SQL, [
      id,
      who.organizationId,
      who.userId,
    ]);
    return row;
  }

  /**
   * Locks the prompts of these ids the user can see, in id order, until the transaction ends: what
   * a change of several prompts does before its first write. Each write's search generation bump
   * takes the organization's audit chain lock (migration 1764001900000), and a change holding that
   * lock must not wait for a prompt row a single change holds while it waits for the lock
   * (docs/architecture.md, "Lock order within an organization").
   */
  async lockVisibleMany(who: TenantUser, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.em.query(
      `SELECT p.id FROM prompts p
        WHERE p.organization_id = $1 AND p.id = ANY($2::uuid[]) AND ${VISIBLE_TO_USER_3}
        ORDER BY p.id FOR UPDATE`,
      [who.organizationId, ids, who.userId],
    );
  }

  /** Whether a prompt the user can see (their own or the organization's) has this slug. */
  async slugVisible(who: TenantUser, slug: string): Promise<boolean> {
    const rows = await this.em.query<unknown[]>(
      `SELECT 1 FROM prompts p WHERE p.organization_id = $1 AND p.slug = $2 AND ${VISIBLE_TO_USER_3}`,
      [who.organizationId, slug, who.userId],
    );
    return rows.length > 0;
  }

  /** Inserts a prompt under `slug`; a taken slug fails with the unique violation `prompts_org_slug_key`. */
  async insert(slug: string, values: PromptInsert): Promise<string> {
    const columns = Object.keys(values) as Array<keyof PromptInsert>;
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO prompts (slug, ${columns.join(', ')})
         VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
      [slug, ...columns.map((c) => values[c])],
    );
    return row.id;
  }

  /**
   * Inserts many prompts of one organization and author in one statement; a row whose slug is
   * taken (by a prompt of the organization, visible or not, or by an earlier row here) is left out
   * rather than failing the statement. Answers the inserted rows' ids by slug.
   */
  async insertMany(
    organizationId: string,
    authorId: string,
    rows: Array<
      { slug: string; search_tags: string[] } & Omit<PromptInsert, 'organization_id' | 'author_id'>
    >,
  ): Promise<Map<string, string>> {
    if (!rows.length) return new Map();
    const inserted = await this.em.query<Array<{ id: string; slug: string }>>(
      `INSERT INTO prompts (organization_id, author_id, slug, title, description, content, variables, metadata,
                            category_id, collection_id, status, visibility, published_at, search_tags)
       SELECT $1, $2, r.slug, r.title, r.description, r.content, r.variables::jsonb, r.metadata::jsonb,
              r.category_id, r.collection_id, r.status, r.visibility, r.published_at,
              st.search_tags
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[],
                     $10::uuid[], $11::text[], $12::text[], $13::timestamptz[], $14::json[])
              WITH ORDINALITY AS r(slug, title, description, content, variables, metadata, category_id,
                                   collection_id, status, visibility, published_at, search_tags_json, n)
         CROSS JOIN LATERAL (SELECT array(SELECT json_array_elements_text(r.search_tags_json)) AS search_tags) st
        ORDER BY r.n
       ON CONFLICT (organization_id, slug) DO NOTHING
       RETURNING id, slug`,
      [
        organizationId,
        authorId,
        rows.map((r) => r.slug),
        rows.map((r) => r.title),
        rows.map((r) => r.description),
        rows.map((r) => r.content),
        rows.map((r) => r.variables),
        rows.map((r) => r.metadata),
        rows.map((r) => r.category_id),
        rows.map((r) => r.collection_id),
        rows.map((r) => r.status),
        rows.map((r) => r.visibility),
        rows.map((r) => r.published_at),
        rows.map((r) => JSON.stringify(r.search_tags)),
      ],
    );
    return new Map(inserted.map((r) => [r.slug, r.id]));
  }

  /** Writes `change`; `touch` also moves updated_at (every change but a bare slug rename does). */
  async update(id: string, change: PromptChange, touch = true): Promise<void> {
    const columns = Object.keys(change) as Array<keyof PromptChange>;
    const set = columns.map((c, i) => `${c} = $${i + 2}`);
    if (touch) set.push('updated_at = now()');
    if (!set.length) return;
    await this.em.query(`UPDATE prompts SET ${set.join(', ')} WHERE id = $1`, [
      id,
      ...columns.map((c) => change[c]),
    ]);
  }

  async delete(id: string): Promise<void> {
    await this.em.query(`DELETE FROM prompts WHERE id = $1`, [id]);
  }

  /**
   * Runs `work` inside a savepoint: a failed statement would otherwise abort the whole
   * transaction (e.g. a bulk request); on failure the savepoint is rolled back and the error
   * rethrown for the caller's policy to decide.
   */
  async inSavepoint<T>(name: string, work: () => Promise<T>): Promise<T> {
    await this.em.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await this.em.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.em.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }

  /**
   * Until `endSearchGenerationDeferral`, the prompts this transaction changes leave the
   * organization's search generation alone (migration 1764001800000). Each statement changing
   * prompts otherwise bumps it, and its row lock lasts until the transaction ends: the first INSERT
   * of a bulk creation then made a parallel one (an import's other lane) wait for this whole
   * transaction. A savepoint rolled back undoes the deferral with it.
   */
  async deferSearchGeneration(): Promise<void> {
    await this.em.query(`SELECT set_config('app.defer_search_generation', 'on', true)`);
  }

  /** Ends the deferral and, when prompts changed meanwhile (`changed`), moves the generation once. */
  async endSearchGenerationDeferral(changed: boolean): Promise<void> {
    await this.em.query(`SELECT set_config('app.defer_search_generation', '', true)`);
    if (changed) await this.em.query(`SELECT pv_bump_search_generation()`);
  }

  async categoryExists(organizationId: string, id: string): Promise<boolean> {
    const [found] = await this.em.query<unknown[]>(
      `SELECT 1 FROM categories WHERE id = $1 AND organization_id = $2`,
      [id, organizationId],
    );
    return !!found;
  }

  async collectionExists(organizationId: string, id: string): Promise<boolean> {
    const [found] = await this.em.query<unknown[]>(
      `SELECT 1 FROM collections WHERE id = $1 AND organization_id = $2`,
      [id, organizationId],
    );
    return !!found;
  }

  // ---------------------------------------------------------------- tags

  async tags(promptId: string): Promise<Array<{ tag_id: string; name: string }>> {
    return this.em.query<Array<{ tag_id: string; name: string }>>(
      `SELECT pt.tag_id, t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = $1`,
      [promptId],
    );
  }

  /** Tags the prompt with the organization's tags of these lower-case names. */
  async attachTags(organizationId: string, promptId: string, lowerNames: string[]): Promise<void> {
    await this.em.query(
      `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
           SELECT $1, $2, t.id FROM tags t WHERE t.organization_id = $1 AND lower(t.name) = ANY($3::text[])
           ON CONFLICT DO NOTHING`,
      [organizationId, promptId, lowerNames],
    );
  }

  /** Tags many prompts at once: each pair is a prompt and the lower-case name of an organization's tag. */
  async attachTagsMany(
    organizationId: string,
    pairs: Array<{ promptId: string; lowerName: string }>,
  ): Promise<void> {
    if (!pairs.length) return;
    await this.em.query(
      `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
           SELECT $1, x.prompt_id, t.id
             FROM unnest($2::uuid[], $3::text[]) AS x(prompt_id, lower_name)
             JOIN tags t ON t.organization_id = $1 AND lower(t.name) = x.lower_name
           ON CONFLICT DO NOTHING`,
      [organizationId, pairs.map((p) => p.promptId), pairs.map((p) => p.lowerName)],
    );
  }

  async detachTags(promptId: string, tagIds: string[]): Promise<void> {
    await this.em.query(`DELETE FROM prompt_tags WHERE prompt_id = $1 AND tag_id = ANY($2::uuid[])`, [
      promptId,
      tagIds,
    ]);
  }

  async copyTags(fromPromptId: string, toPromptId: string): Promise<void> {
    await this.em.query(
      `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
         SELECT organization_id, $2, tag_id FROM prompt_tags WHERE prompt_id = $1`,
      [fromPromptId, toPromptId],
    );
  }

  // ---------------------------------------------------------------- favorites

  /** Removes the user's favorite; answers whether there was one. */
  async removeFavorite(promptId: string, userId: string): Promise<boolean> {
    const removed = returned(
      await this.em.query(`DELETE FROM favorites WHERE prompt_id = $1 AND user_id = $2 RETURNING 1`, [
        promptId,
        userId,
      ]),
    );
    return removed.length > 0;
  }

  async addFavorite(who: TenantUser, promptId: string): Promise<void> {
    await this.em.query(
      `INSERT INTO favorites (organization_id, prompt_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [who.organizationId, promptId, who.userId],
    );
  }

  /** Recomputes the favorite count from the rows, so it cannot drift; answers it. */
  async recountFavorites(promptId: string): Promise<number> {
    const [row] = returned<{ favorites: number }>(
      await this.em.query(
        `UPDATE prompts SET favorites = (SELECT count(*) FROM favorites WHERE prompt_id = $1)
          WHERE id = $1 RETURNING favorites`,
        [promptId],
      ),
    );
    return Number(row.favorites);
  }
}
