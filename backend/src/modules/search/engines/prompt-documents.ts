import { EntityManager } from 'typeorm';
import { stripMarkers } from '../highlight';

/** What the Elasticsearch index holds per prompt (security fields included: every query filters on them). */
export interface PromptDocument {
  id: string;
  organizationId: string;
  authorId: string | null;
  visibility: string;
  status: string;
  categoryId: string | null;
  slug: string;
  title: string;
  description: string;
  content: string;
  tags: string[];
  tagsLower: string[];
  createdAt: string;
  updatedAt: string;
  popularity: number;
}

interface DocumentRow {
  id: string;
  organization_id: string;
  author_id: string | null;
  visibility: string;
  status: string;
  category_id: string | null;
  slug: string;
  title: string;
  description: string;
  content: string;
  search_tags: string[];
  created_at: Date;
  updated_at: Date;
  popularity: string;
}

const toDocument = (r: DocumentRow): PromptDocument => ({
  id: r.id,
  organizationId: r.organization_id,
  authorId: r.author_id,
  visibility: r.visibility,
  status: r.status,
  categoryId: r.category_id,
  slug: r.slug,
  title: stripMarkers(r.title),
  description: stripMarkers(r.description),
  content: stripMarkers(r.content),
  tags: r.search_tags,
  tagsLower: r.search_tags.map((t) => t.toLowerCase()),
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  popularity: Number(r.popularity),
});

const COLUMNS = `p.id, p.organization_id, p.author_id, p.visibility, p.status, p.category_id, p.slug, p.title,
  p.description, p.content, p.search_tags, p.created_at, p.updated_at, (p.uses + 10 * p.favorites) AS popularity`;

/**
 * Reads prompts as index documents in the current tenant transaction, with `app.system` on for
 * the statement so that every member's private prompts are indexed too (the tenant policy still
 * confines the read to the transaction's organization). A failed statement aborts the
 * transaction, and PostgreSQL rolls the setting back with it.
 */
export async function readDocuments(
  em: EntityManager,
  where: { ids: string[] } | { afterId: string | null; limit: number },
): Promise<PromptDocument[]> {
  await em.query(`SELECT set_config('app.system', 'on', true)`);
  const rows: DocumentRow[] =
    'ids' in where
      ? await em.query(
          `SELECT ${COLUMNS} FROM prompts p WHERE p.organization_id = app_org_id() AND p.id = ANY($1::uuid[])`,
          [where.ids],
        )
      : await em.query(
          `SELECT ${COLUMNS} FROM prompts p
            WHERE p.organization_id = app_org_id() AND ($1::uuid IS NULL OR p.id > $1::uuid)
            ORDER BY p.id LIMIT $2`,
          [where.afterId, where.limit],
        );
  await em.query(`SELECT set_config('app.system', '', true)`);
  return rows.map(toDocument);
}
