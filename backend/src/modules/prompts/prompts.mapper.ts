import type { PromptMetadataDto } from './dto/prompt.dto';
import type { PromptResponseDto } from './dto/prompt.response.dto';
import type { PromptViewRow } from './prompts.repository';
import type { PromptMetadata } from './variables';

/** The contract's shape of a prompt; `pending` adds views and uses not yet written (PromptStats). */
export function toPromptDto(r: PromptViewRow, pending: { views: number; uses: number }): PromptResponseDto {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    description: r.description,
    content: r.content,
    variables: r.variables,
    tags: r.tags,
    categoryId: r.category_id,
    collectionId: r.collection_id,
    authorId: r.author_id,
    status: r.status,
    visibility: r.visibility,
    metadata: r.metadata,
    version: r.version,
    labels: r.labels,
    stats: {
      views: Number(r.views) + pending.views,
      uses: Number(r.uses) + pending.uses,
      favorites: Number(r.favorites),
    },
    favorited: r.favorited,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    publishedAt: r.published_at?.toISOString() ?? null,
  };
}

/** Metadata with its keys in one order and without nulls, so equal metadata compares equal. */
export const stableMetadata = (m: PromptMetadataDto | PromptMetadata | undefined): PromptMetadata => {
  const out: PromptMetadata = {};
  if (m?.model !== undefined && m.model !== null) out.model = m.model;
  if (m?.temperature !== undefined && m.temperature !== null) out.temperature = m.temperature;
  if (m?.maxTokens !== undefined && m.maxTokens !== null) out.maxTokens = m.maxTokens;
  return out;
};

/** JSON with object keys sorted: jsonb hands keys back in its own order, so compare canonically. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : v;
export const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The outbox row of a change to a prompt (search and webhooks follow it). */
export const promptEvent = (type: string, id: string, payload: Record<string, unknown> = {}) => ({
  type,
  aggregateType: 'prompt',
  aggregateId: id,
  payload,
});
