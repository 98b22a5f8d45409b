import { RequestContext } from '../../common/context/request-context';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Action, AppAbility, defineAbilityFor } from '../../authz/ability.factory';
import { FieldError, notFound, AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { isUniqueViolation } from '../../database/errors';
import { preparedQuery, TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { slugify } from '../organizations/slug';
import { OutboxService } from '../outbox/outbox.service';
import { randomBytes } from 'node:crypto';
import { CreatePromptDto, ListPromptsQueryDto, PromptMetadataDto, UpdatePromptDto } from './dto/prompt.dto';
import { FavoriteResponseDto, PromptResponseDto } from './dto/prompt.response.dto';
import type { PromptStatus, PromptVisibility } from './entities/prompt.entity';
import { PromptStats } from './prompt-stats';
import { mergeVariables, PromptMetadata, renderTemplate, VariableDefinition } from './variables';

/** The fields whose change makes a new version. */
export const VERSIONED_FIELDS = ['title', 'description', 'content', 'variables', 'metadata'] as const;
export type VersionedField = (typeof VERSIONED_FIELDS)[number];

/** What a version holds (and what a prompt's current state equals). */
export interface PromptSnapshot {
  title: string;
  description: string;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
}

export interface ResolvedVersion extends PromptSnapshot {
  version: number;
  changeNote: string | null;
  changedBy: string | null;
  createdAt: Date;
}

/** Popularity: favorites weigh most, then uses, then views (the same expression as the index). */
export const POPULARITY_SQL = '(p.views + 3 * p.uses + 10 * p.favorites)';

interface PromptRow {
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
  views: string;
  uses: string;
  favorites: number;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

interface PromptViewRow extends PromptRow {
  tags: string[];
  labels: Record<string, number>;
  favorited: boolean;
  cursor_key: string;
}

type ListCursor = { k: string; id: string };

/**
 * The columns PromptRow holds, named rather than `p.*`: prompts also carries the search vector
 * (often larger than the content), which no response needs.
 */
const PROMPT_COLUMNS = `p.id, p.organization_id, p.slug, p.title, p.description, p.content, p.variables,
  p.metadata, p.category_id, p.collection_id, p.author_id, p.status, p.visibility, p.version, p.views,
  p.uses, p.favorites, p.created_at, p.updated_at, p.published_at`;
const isListCursor = (v: unknown): v is ListCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ListCursor).k === 'string' &&
  typeof (v as ListCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as ListCursor).id);

/** The list's sort orders: the key expression, its direction, and the index that serves it. */
/** PostgreSQL's text of a timestamptz (cursors keep it: a JS Date would drop microseconds). */
export const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const SORTS = {
  updated: { key: 'p.updated_at', cast: 'timestamptz', dir: 'DESC', valid: TIMESTAMP_TEXT },
  created: { key: 'p.created_at', cast: 'timestamptz', dir: 'DESC', valid: TIMESTAMP_TEXT },
  title: { key: 'lower(p.title)', cast: 'text', dir: 'ASC', valid: /^[^\0]*$/ },
  popularity: { key: POPULARITY_SQL, cast: 'bigint', dir: 'DESC', valid: /^-?\d{1,18}$/ },
} as const;

/** Rows of UPDATE/DELETE … RETURNING come back from TypeORM as [rows, count]. */
const returned = <T>(result: unknown): T[] =>
  (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];

const stableMetadata = (m: PromptMetadataDto | PromptMetadata | undefined): PromptMetadata => {
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
const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Prompts: create, read, list, update (versioning content changes), delete, favorites, duplicate,
 * render. Every public method works in the current tenant transaction, checks the caller's
 * ability on the prompt itself (so the bulk endpoint can call them per id) and writes its audit
 * event and outbox row in that same transaction.
 */
@Injectable()
export class PromptsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly stats: PromptStats,
    private readonly context: RequestContext,
  ) {}

  // ---------------------------------------------------------------- reading

  /** One prompt as the contract shapes it; counts a view. */
  async get(id: string): Promise<PromptResponseDto> {
    const [row] = await this.select('p.id = $3', [id]);
    if (!row) throw notFound('Prompt');
    this.stats.countView(row.organization_id, row.id);
    return this.toDto(row);
  }

  /** The response shape of a prompt without counting a view (after writes). */
  async view(id: string): Promise<PromptResponseDto> {
    const [row] = await this.select('p.id = $3', [id]);
    if (!row) throw notFound('Prompt');
    return this.toDto(row);
  }

  async list(q: ListPromptsQueryDto): Promise<Page<PromptResponseDto>> {
    const sort = SORTS[q.sort ?? 'updated'];
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v) + 2}`;
    if (q.tag)
      where.push(`EXISTS (SELECT 1 FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id
                   WHERE pt.prompt_id = p.id AND lower(t.name) = lower(${param(q.tag.trim())}))`);
    if (q.category) where.push(`p.category_id = ${param(q.category)}`);
    if (q.collection) where.push(`p.collection_id = ${param(q.collection)}`);
    if (q.author) where.push(`p.author_id = ${param(q.author)}`);
    if (q.status) where.push(`p.status = ${param(q.status)}`);
    if (q.favorite === 'true')
      where.push(`EXISTS (SELECT 1 FROM favorites f WHERE f.prompt_id = p.id AND f.user_id = $2)`);
    if (q.cursor) {
      const c = decodeCursor(q.cursor, (v): v is ListCursor => isListCursor(v) && sort.valid.test(v.k));
      const op = sort.dir === 'DESC' ? '<' : '>';
      where.push(`(${sort.key}, p.id) ${op} (${param(c.k)}::${sort.cast}, ${param(c.id)}::uuid)`);
    }
    const rows = await this.select(
      where.join(' AND ') || 'true',
      params,
      `ORDER BY ${sort.key} ${sort.dir}, p.id ${sort.dir} LIMIT ${param(q.limit + 1)}`,
      `(${sort.key})::text`,
    );
    return toPage(
      rows,
      q.limit,
      (r) => ({ k: r.cursor_key, id: r.id }),
      (r) => this.toDto(r),
    );
  }

  // ---------------------------------------------------------------- writing

  async create(dto: CreatePromptDto): Promise<PromptResponseDto> {
    this.assertAbility('create', 'Prompt', 'Your role may not create prompts');
    const { organizationId, userId } = this.tenant();
    const { variables, errors } = mergeVariables(dto.content, dto.variables);
    errors.push(...(await this.checkReferences(dto.categoryId, dto.collectionId)));
    if (errors.length)
      throw new AppException('validation_failed', 'The prompt has invalid fields', { errors: errors });
    const status = dto.status ?? 'draft';
    const id = await this.insertPrompt(dto.slug, dto.title, {
      organization_id: organizationId,
      title: dto.title,
      description: dto.description ?? '',
      content: dto.content,
      variables: JSON.stringify(variables),
      metadata: JSON.stringify(stableMetadata(dto.metadata)),
      category_id: dto.categoryId ?? null,
      collection_id: dto.collectionId ?? null,
      author_id: userId,
      status,
      visibility: dto.visibility ?? 'organization',
      published_at: status === 'published' ? new Date() : null,
    });
    await this.insertVersion(id, 1, dto.changeNote ?? null);
    if (dto.tags?.length) await this.replaceTags(id, dto.tags);
    await this.audit.record({
      action: 'prompt.created',
      target: { type: 'prompt', id },
      changes: { title: dto.title, visibility: dto.visibility ?? 'organization', status },
    });
    await this.publish('prompt.created', id);
    return this.view(id);
  }

  /**
   * Applies a partial change. Title, description, content, variables or metadata changes make a
   * new version; the other fields change the prompt only. `expectedVersion` other than the
   * current one answers 409 (someone saved in between).
   */
  async update(id: string, dto: UpdatePromptDto): Promise<PromptResponseDto> {
    const prompt = await this.loadForWrite(id, 'update');
    if (dto.expectedVersion !== undefined && dto.expectedVersion !== prompt.version) {
      throw new AppException(
        'conflict',
        `The prompt is at version ${prompt.version}; your change was based on version ${dto.expectedVersion}`,
      );
    }
    const errors: FieldError[] = [];
    const next: PromptSnapshot = {
      title: dto.title ?? prompt.title,
      description: dto.description ?? prompt.description,
      content: dto.content ?? prompt.content,
      variables: prompt.variables,
      metadata: dto.metadata ? stableMetadata(dto.metadata) : prompt.metadata,
    };
    if (dto.variables) {
      const merged = mergeVariables(next.content, dto.variables);
      errors.push(...merged.errors);
      next.variables = merged.variables;
    } else if (dto.content !== undefined) {
      // Keep the declarations of placeholders still used; new placeholders become text variables.
      const kept = mergeVariables(next.content, []).variables.map(
        (v) => prompt.variables.find((d) => d.name === v.name) ?? v,
      );
      next.variables = kept;
    }
    const categoryChanged = dto.categoryId !== undefined && dto.categoryId !== prompt.category_id;
    const collectionChanged = dto.collectionId !== undefined && dto.collectionId !== prompt.collection_id;
    errors.push(
      ...(await this.checkReferences(
        categoryChanged ? dto.categoryId : undefined,
        collectionChanged ? dto.collectionId : undefined,
      )),
    );
    if (errors.length)
      throw new AppException('validation_failed', 'The prompt has invalid fields', { errors: errors });

    const versioned = VERSIONED_FIELDS.filter((f) => !sameJson(next[f], prompt[f]));
    const changed: string[] = [...versioned];
    const set: Record<string, unknown> = {};
    if (versioned.length) {
      Object.assign(set, {
        title: next.title,
        description: next.description,
        content: next.content,
        variables: JSON.stringify(next.variables),
        metadata: JSON.stringify(next.metadata),
        version: prompt.version + 1,
      });
    }
    if (dto.status !== undefined && dto.status !== prompt.status) {
      set.status = dto.status;
      if (dto.status === 'published' && !prompt.published_at) set.published_at = new Date();
      changed.push('status');
    }
    if (dto.visibility !== undefined && dto.visibility !== prompt.visibility) {
      // A private prompt is visible to its author only: nobody else can make it private (they would
      // lose sight of it mid-request, and the database's policy refuses that row anyway).
      if (dto.visibility === 'private' && prompt.author_id !== this.tenant().userId) {
        throw new AppException('forbidden', 'Only the author can make a prompt private');
      }
      set.visibility = dto.visibility;
      changed.push('visibility');
    }
    if (categoryChanged) {
      set.category_id = dto.categoryId;
      changed.push('categoryId');
    }
    if (collectionChanged) {
      set.collection_id = dto.collectionId;
      changed.push('collectionId');
    }
    if (dto.slug !== undefined && dto.slug !== prompt.slug) {
      await this.withSlug(dto.slug, true, (slug) =>
        this.em.query(`UPDATE prompts SET slug = $2 WHERE id = $1`, [id, slug]),
      );
      changed.push('slug');
    }
    if (dto.tags !== undefined && (await this.replaceTags(id, dto.tags))) changed.push('tags');
    if (!changed.length) return this.view(id);

    await this.writeRow(id, set);
    if (versioned.length) await this.insertVersion(id, prompt.version + 1, dto.changeNote ?? null);
    await this.audit.record({
      action: 'prompt.updated',
      target: { type: 'prompt', id },
      changes: { fields: changed, version: versioned.length ? prompt.version + 1 : prompt.version },
    });
    await this.publish('prompt.updated', id);
    return this.view(id);
  }

  /** Sets the status (bulk publish/archive). */
  setStatus(id: string, status: PromptStatus): Promise<PromptResponseDto> {
    return this.update(id, { status });
  }

  /** Moves the prompt into a collection, or out of any with null (bulk move). */
  move(id: string, collectionId: string | null): Promise<PromptResponseDto> {
    return this.update(id, { collectionId });
  }

  /** Adds tags, keeping the ones the prompt has (bulk tag). */
  async addTags(id: string, names: string[]): Promise<PromptResponseDto> {
    const current = await this.tagNames(id);
    return this.update(id, { tags: [...current, ...names] });
  }

  /** Removes tags by name, case-insensitively (bulk untag). */
  async removeTags(id: string, names: string[]): Promise<PromptResponseDto> {
    const drop = new Set(names.map((n) => n.trim().toLowerCase()));
    const current = await this.tagNames(id);
    return this.update(id, { tags: current.filter((n) => !drop.has(n.toLowerCase())) });
  }

  async remove(id: string): Promise<void> {
    const prompt = await this.loadForWrite(id, 'delete');
    await this.em.query(`DELETE FROM prompts WHERE id = $1`, [id]);
    await this.audit.record({
      action: 'prompt.deleted',
      target: { type: 'prompt', id },
      changes: {
        slug: prompt.slug,
        title: prompt.title,
        visibility: prompt.visibility,
        authorId: prompt.author_id,
      },
    });
    await this.outbox.publish({
      type: 'prompt.deleted',
      aggregateType: 'prompt',
      aggregateId: id,
      payload: { slug: prompt.slug, visibility: prompt.visibility, authorId: prompt.author_id },
    });
  }

  /**
   * Makes `snapshot` the prompt's new current version (revert). Checks update rights; the
   * caller names the audit action.
   */
  async applySnapshot(
    id: string,
    snapshot: PromptSnapshot,
    changeNote: string | null,
    audit: { action: string; changes: Record<string, unknown> },
  ): Promise<PromptResponseDto> {
    const prompt = await this.loadForWrite(id, 'update');
    const version = prompt.version + 1;
    await this.writeRow(id, {
      title: snapshot.title,
      description: snapshot.description,
      content: snapshot.content,
      variables: JSON.stringify(snapshot.variables),
      metadata: JSON.stringify(snapshot.metadata),
      version,
    });
    await this.insertVersion(id, version, changeNote);
    await this.audit.record({
      action: audit.action,
      target: { type: 'prompt', id },
      changes: { ...audit.changes, version },
    });
    await this.publish('prompt.updated', id);
    return this.view(id);
  }

  /** Toggles the caller's favorite; the count is recomputed from the rows, so it cannot drift. */
  async toggleFavorite(id: string): Promise<FavoriteResponseDto> {
    const prompt = await this.loadVisible(id);
    this.assertAbility('favorite', 'Prompt', 'Your role may not mark favorites');
    const { organizationId, userId } = this.tenant();
    const removed = returned(
      await this.em.query(`DELETE FROM favorites WHERE prompt_id = $1 AND user_id = $2 RETURNING 1`, [
        prompt.id,
        userId,
      ]),
    );
    if (!removed.length) {
      await this.em.query(
        `INSERT INTO favorites (organization_id, prompt_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [organizationId, prompt.id, userId],
      );
    }
    const [row] = returned<{ favorites: number }>(
      await this.em.query(
        `UPDATE prompts SET favorites = (SELECT count(*) FROM favorites WHERE prompt_id = $1)
          WHERE id = $1 RETURNING favorites`,
        [prompt.id],
      ),
    );
    await this.publish('prompt.updated', prompt.id);
    return { favorited: !removed.length, favorites: Number(row.favorites) };
  }

  /** A copy owned by the caller: new slug, version 1, no labels or stats; private stays private. */
  async duplicate(id: string): Promise<PromptResponseDto> {
    const source = await this.loadVisible(id);
    this.assertAbility('create', 'Prompt', 'Your role may not create prompts');
    const { organizationId, userId } = this.tenant();
    const title = `${source.title} (copy)`.slice(0, 200);
    const newId = await this.insertPrompt(undefined, title, {
      organization_id: organizationId,
      title,
      description: source.description,
      content: source.content,
      variables: JSON.stringify(source.variables),
      metadata: JSON.stringify(source.metadata),
      category_id: source.category_id,
      collection_id: source.collection_id,
      author_id: userId,
      status: 'draft',
      visibility: source.visibility,
      published_at: null,
    });
    await this.insertVersion(newId, 1, `Duplicated from ${source.slug} v${source.version}`);
    await this.em.query(
      `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
         SELECT organization_id, $2, tag_id FROM prompt_tags WHERE prompt_id = $1`,
      [source.id, newId],
    );
    await this.audit.record({
      action: 'prompt.duplicated',
      target: { type: 'prompt', id: newId },
      changes: { sourceId: source.id, sourceVersion: source.version, title },
    });
    await this.publish('prompt.created', newId);
    return this.view(newId);
  }

  /** Renders the current version, a given version or a labelled one; counts a use. */
  async render(
    id: string,
    values: Record<string, unknown>,
    at: { version?: number; label?: string },
  ): Promise<{ rendered: string; version: number }> {
    const prompt = await this.loadVisible(id);
    const snapshot = await this.resolveVersion(prompt, at);
    const { rendered, errors } = renderTemplate(snapshot.content, snapshot.variables, values);
    if (errors.length)
      throw new AppException('unprocessable', 'Some variables are missing or of the wrong type', {
        errors: errors,
      });
    this.stats.countUse(prompt.organization_id, prompt.id);
    return { rendered, version: snapshot.version };
  }

  // ---------------------------------------------------------------- shared with versions / test cases

  /** The prompt if the caller can see it (same organization; private ones only for their author). */
  async loadVisible(id: string, lock = false): Promise<PromptRow> {
    const { organizationId, userId } = this.tenant();
    const [row] = await preparedQuery<PromptRow>(
      this.em,
      `SELECT ${PROMPT_COLUMNS} FROM prompts p
        WHERE p.id = $1 AND p.organization_id = $2 AND (p.visibility = 'organization' OR p.author_id = $3)
        ${lock ? 'FOR UPDATE' : ''}`,
      [id, organizationId, userId],
    );
    if (!row) throw notFound('Prompt');
    return row;
  }

  /** Visible and the caller may `action` it (404 before 403: invisible ones do not leak). */
  async loadForWrite(id: string, action: Extract<Action, 'update' | 'delete'>): Promise<PromptRow> {
    const row = await this.loadVisible(id, true);
    this.assertCanOn(action, row);
    return row;
  }

  assertCanOn(action: Action, row: { author_id: string | null }): void {
    if (!this.ability().can(action, { __type: 'Prompt', authorId: row.author_id })) {
      throw new AppException(
        'forbidden',
        action === 'delete'
          ? 'Your role allows deleting your own prompts only'
          : 'Your role does not allow changing this prompt',
      );
    }
  }

  ability(): AppAbility {
    const tenant = this.context.caller;
    return defineAbilityFor(tenant.role, tenant.userId);
  }

  /** A version of the prompt: the given number, the one a label points at, or the current one. */
  async resolveVersion(
    prompt: { id: string; version: number },
    at: { version?: number; label?: string },
  ): Promise<ResolvedVersion> {
    if (at.version !== undefined && at.label !== undefined) {
      throw new AppException('validation_failed', 'Give either version or label, not both', {
        errors: [{ field: 'label', message: 'label and version are mutually exclusive' }],
      });
    }
    let version = at.version ?? prompt.version;
    if (at.label !== undefined) {
      const [label] = await this.em.query<Array<{ version: number }>>(
        `SELECT version FROM prompt_labels WHERE prompt_id = $1 AND label = $2`,
        [prompt.id, at.label],
      );
      if (!label) throw notFound(`Label "${at.label}"`);
      version = label.version;
    }
    const [row] = await this.em.query<
      Array<
        PromptSnapshot & {
          version: number;
          change_note: string | null;
          changed_by: string | null;
          created_at: Date;
        }
      >
    >(
      `SELECT version, title, description, content, variables, metadata, change_note, changed_by, created_at
         FROM prompt_versions WHERE prompt_id = $1 AND version = $2`,
      [prompt.id, version],
    );
    if (!row) throw notFound(`Version ${version}`);
    return {
      version: row.version,
      title: row.title,
      description: row.description,
      content: row.content,
      variables: row.variables,
      metadata: row.metadata,
      changeNote: row.change_note,
      changedBy: row.changed_by,
      createdAt: row.created_at,
    };
  }

  async publish(type: string, id: string, payload: Record<string, unknown> = {}): Promise<void> {
    await this.outbox.publish({ type, aggregateType: 'prompt', aggregateId: id, payload });
  }

  // ---------------------------------------------------------------- internals

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  private tenant(): { organizationId: string; userId: string } {
    const t = this.context.callerOrNull;
    if (!t?.userId) throw new Error('PromptsService needs a tenant request');
    return { organizationId: t.organizationId, userId: t.userId };
  }

  private assertAbility(action: Action, subject: 'Prompt', message: string): void {
    if (!this.ability().can(action, subject)) throw new AppException('forbidden', message);
  }

  /**
   * Prompts with everything the response needs in one statement: tags, labels and the caller's
   * favorite are correlated sub-selects, evaluated only for the rows returned (no N+1).
   * `$1` is the organization, `$2` the caller; `where` uses `$3…`.
   */
  private select(where: string, params: unknown[], tail = '', cursorKey = "''"): Promise<PromptViewRow[]> {
    const { organizationId, userId } = this.tenant();
    // Prepared (one statement per filter combination, a bounded set): planning under RLS costs more
    // than running these index lookups.
    return preparedQuery<PromptViewRow>(
      this.em,
      `SELECT ${PROMPT_COLUMNS}, ${cursorKey} AS cursor_key,
              coalesce((SELECT array_agg(t.name ORDER BY lower(t.name)) FROM prompt_tags pt
                          JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = p.id), '{}') AS tags,
              coalesce((SELECT jsonb_object_agg(l.label, l.version) FROM prompt_labels l
                          WHERE l.prompt_id = p.id), '{}') AS labels,
              EXISTS (SELECT 1 FROM favorites f WHERE f.prompt_id = p.id AND f.user_id = $2) AS favorited
         FROM prompts p
        WHERE p.organization_id = $1 AND (p.visibility = 'organization' OR p.author_id = $2) AND ${where}
        ${tail}`,
      [organizationId, userId, ...params],
    );
  }

  private toDto(r: PromptViewRow): PromptResponseDto {
    const pending = this.stats.pendingFor(r.organization_id, r.id);
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

  private async tagNames(id: string): Promise<string[]> {
    await this.loadVisible(id);
    const rows = await this.em.query<Array<{ name: string }>>(
      `SELECT t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = $1`,
      [id],
    );
    return rows.map((r) => r.name);
  }

  /** Category and collection must exist in this organization (400 naming the field otherwise). */
  private async checkReferences(
    categoryId: string | null | undefined,
    collectionId: string | null | undefined,
  ): Promise<FieldError[]> {
    const { organizationId } = this.tenant();
    const errors: FieldError[] = [];
    if (categoryId) {
      const [found] = await this.em.query<unknown[]>(
        `SELECT 1 FROM categories WHERE id = $1 AND organization_id = $2`,
        [categoryId, organizationId],
      );
      if (!found) errors.push({ field: 'categoryId', message: 'no such category in this organization' });
    }
    if (collectionId) {
      const [found] = await this.em.query<unknown[]>(
        `SELECT 1 FROM collections WHERE id = $1 AND organization_id = $2`,
        [collectionId, organizationId],
      );
      if (!found) errors.push({ field: 'collectionId', message: 'no such collection in this organization' });
    }
    return errors;
  }

  /**
   * Tries a slug inside a savepoint (a failed statement would otherwise abort the whole
   * transaction, e.g. a bulk request). An explicit slug that is taken answers 409; a generated one
   * gets a random suffix and is tried again.
   */
  private async withSlug<T>(
    slug: string,
    explicit: boolean,
    write: (slug: string) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? slug : `${slug.slice(0, 90)}-${randomBytes(3).toString('hex')}`;
      await this.em.query('SAVEPOINT prompt_slug');
      try {
        const result = await write(candidate);
        await this.em.query('RELEASE SAVEPOINT prompt_slug');
        return result;
      } catch (err) {
        await this.em.query('ROLLBACK TO SAVEPOINT prompt_slug');
        if (!isUniqueViolation(err, 'prompts_org_slug_key')) throw err;
        if (explicit) throw new AppException('conflict', `The slug "${slug}" is taken in this organization`);
        if (attempt >= 5) throw err;
      }
    }
  }

  private async insertPrompt(
    slug: string | undefined,
    title: string,
    values: Record<string, unknown>,
  ): Promise<string> {
    const hasAscii = /[a-z0-9]/i.test(title.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
    const base = slug ?? (hasAscii ? slugify(title) : 'prompt');
    const columns = Object.keys(values);
    return this.withSlug(base, slug !== undefined, async (candidate) => {
      const [row] = await this.em.query<Array<{ id: string }>>(
        `INSERT INTO prompts (slug, ${columns.join(', ')})
         VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
        [candidate, ...columns.map((c) => values[c])],
      );
      return row.id;
    });
  }

  /** Records the prompt's current content fields as version `version`. */
  private async insertVersion(id: string, version: number, changeNote: string | null): Promise<void> {
    const { userId } = this.tenant();
    await this.em.query(
      `INSERT INTO prompt_versions (organization_id, prompt_id, version, title, description, content,
                                    variables, metadata, change_note, changed_by)
       SELECT organization_id, id, $2, title, description, content, variables, metadata, $3, $4
         FROM prompts WHERE id = $1`,
      [id, version, changeNote, userId],
    );
  }

  private async writeRow(id: string, set: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(set);
    await this.em.query(
      `UPDATE prompts SET ${[...columns.map((c, i) => `${c} = $${i + 2}`), 'updated_at = now()'].join(', ')}
        WHERE id = $1`,
      [id, ...columns.map((c) => set[c])],
    );
  }

  /**
   * Makes the prompt's tags exactly `names` (created when new: case-insensitively unique, the first
   * spelling wins). Answers whether anything changed.
   */
  private async replaceTags(id: string, names: string[]): Promise<boolean> {
    const { organizationId } = this.tenant();
    const wanted = new Map<string, string>();
    for (const n of names.map((s) => s.trim()).filter(Boolean)) {
      if (!wanted.has(n.toLowerCase())) wanted.set(n.toLowerCase(), n);
    }
    const current = await this.em.query<Array<{ tag_id: string; name: string }>>(
      `SELECT pt.tag_id, t.name FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.prompt_id = $1`,
      [id],
    );
    const have = new Set(current.map((c) => c.name.toLowerCase()));
    const missing = [...wanted.keys()].filter((k) => !have.has(k));
    const extra = current.filter((c) => !wanted.has(c.name.toLowerCase()));
    if (!missing.length && !extra.length) return false;
    if (missing.length) {
      if (!this.ability().can('create', 'Tag'))
        throw new AppException('forbidden', 'Your role may not create tags');
      const created = await this.em.query<Array<{ id: string; name: string }>>(
        `INSERT INTO tags (organization_id, name) SELECT $1, n FROM unnest($2::text[]) AS n
           ON CONFLICT (organization_id, lower(name)) DO NOTHING RETURNING id, name`,
        [organizationId, missing.map((k) => wanted.get(k))],
      );
      // Tagging creates tags as POST /tags does, and leaves the same trail.
      for (const tag of created) {
        await this.audit.record({
          action: 'tag.created',
          target: { type: 'tag', id: tag.id },
          changes: { name: tag.name, via: 'tagging' },
        });
      }
      await this.em.query(
        `INSERT INTO prompt_tags (organization_id, prompt_id, tag_id)
           SELECT $1, $2, t.id FROM tags t WHERE t.organization_id = $1 AND lower(t.name) = ANY($3::text[])
           ON CONFLICT DO NOTHING`,
        [organizationId, id, missing],
      );
    }
    if (extra.length) {
      await this.em.query(`DELETE FROM prompt_tags WHERE prompt_id = $1 AND tag_id = ANY($2::uuid[])`, [
        id,
        extra.map((e) => e.tag_id),
      ]);
    }
    return true;
  }
}

export type { PromptRow };
