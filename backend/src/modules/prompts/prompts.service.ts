import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { can, requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException, FieldError, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { isUniqueViolation } from '../../database/errors';
import { AuditService } from '../audit/audit.service';
import { UsageRecorder } from '../analytics/usage-recorder';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { slugify } from '../organizations/slug';
import { OutboxService } from '../outbox/outbox.service';
import { VersionsRepository } from '../versions/versions.repository';
import { CreatePromptDto, ListPromptsQueryDto, UpdatePromptDto } from './dto/prompt.dto';
import { PromptResponseDto } from './dto/prompt.response.dto';
import { PromptAccess } from './prompt-access.service';
import { PromptStats } from './prompt-stats';
import { PromptTagging } from './prompt-tagging.service';
import { PromptSnapshot, type TenantUser, VERSIONED_FIELDS } from './prompt.model';
import { PromptException } from './prompts.errors';
import { promptEvent, sameJson, stableMetadata, toPromptDto } from './prompts.mapper';
import { PromptChange, PromptInsert, PromptsRepository, PromptViewRow } from './prompts.repository';
import { PROMPT_SORTS } from './prompts.sql';
import { mergeVariables, renderTemplate } from './variables';

type ListCursor = { k: string; id: string };
const isListCursor = (v: unknown): v is ListCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ListCursor).k === 'string' &&
  typeof (v as ListCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as ListCursor).id);

/** Per item of `createMany`: the new prompt, or why it was not created. */
export type BulkCreateResult = { id: string; slug: string } | { error: unknown };

const invalidFields = (errors: FieldError[]) =>
  new AppException('validation_failed', 'The prompt has invalid fields', { errors });

/**
 * Prompts: create, read, list, update (versioning content changes), delete, duplicate, render.
 * Every public method works in the current tenant transaction, checks the caller's ability on the
 * prompt itself (so the bulk endpoint can call them per id) and writes its audit event and outbox
 * row in that same transaction. The SQL lives in PromptsRepository / VersionsRepository.
 */
@Injectable()
export class PromptsService {
  constructor(
    private readonly repo: PromptsRepository,
    private readonly versions: VersionsRepository,
    private readonly access: PromptAccess,
    private readonly tagging: PromptTagging,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly stats: PromptStats,
    private readonly planLimits: PlanLimitsService,
    private readonly usage: UsageRecorder,
  ) {}

  // ---------------------------------------------------------------- reading

  /** One prompt as the contract shapes it; counts a view. */
  async get(caller: Caller, id: string): Promise<PromptResponseDto> {
    const row = await this.repo.findView(caller, id);
    if (!row) throw notFound('Prompt');
    this.stats.countView(row.organization_id, row.id);
    this.usage.count('view', caller, { promptId: row.id });
    return this.toDto(row);
  }

  /** The response shape of a prompt without counting a view (after writes). */
  async view(caller: Caller, id: string): Promise<PromptResponseDto> {
    const row = await this.repo.findView(caller, id);
    if (!row) throw notFound('Prompt');
    return this.toDto(row);
  }

  async list(caller: Caller, q: ListPromptsQueryDto): Promise<Page<PromptResponseDto>> {
    const sort = q.sort ?? 'updated';
    const valid = PROMPT_SORTS[sort].valid;
    const cursor = q.cursor
      ? decodeCursor(q.cursor, (v): v is ListCursor => isListCursor(v) && valid.test(v.k))
      : undefined;
    const rows = await this.repo.list(
      caller,
      { ...q, favorite: q.favorite === 'true', highCost: q.highCost === 'true' },
      sort,
      cursor,
      q.limit,
    );
    return toPage(
      rows,
      q.limit,
      (r) => ({ k: r.cursor_key, id: r.id }),
      (r) => this.toDto(r),
    );
  }

  // ---------------------------------------------------------------- writing

  async create(caller: Caller, dto: CreatePromptDto): Promise<PromptResponseDto> {
    requireAccess(caller, 'create', 'Prompt', 'Your role may not create prompts');
    const { variables, errors } = mergeVariables(dto.content, dto.variables);
    errors.push(...(await this.referenceErrors(caller, dto.categoryId, dto.collectionId)));
    if (errors.length) throw invalidFields(errors);
    // The plan's prompt limit, under the organization's row lock until this transaction ends.
    await this.planLimits.assertCanCreate('prompts', caller.organizationId);
    const status = dto.status ?? 'draft';
    const id = await this.insertPrompt(dto.slug, {
      organization_id: caller.organizationId,
      title: dto.title,
      description: dto.description ?? '',
      content: dto.content,
      variables: JSON.stringify(variables),
      metadata: JSON.stringify(stableMetadata(dto.metadata)),
      category_id: dto.categoryId ?? null,
      collection_id: dto.collectionId ?? null,
      author_id: caller.userId,
      status,
      visibility: dto.visibility ?? 'organization',
      published_at: status === 'published' ? new Date() : null,
    });
    await this.versions.insertFromPrompt(id, 1, dto.changeNote ?? null, caller.userId);
    if (dto.tags?.length) await this.tagging.replace(caller, id, dto.tags);
    await this.audit.record({
      action: 'prompt.created',
      target: { type: 'prompt', id },
      changes: { title: dto.title, visibility: dto.visibility ?? 'organization', status },
    });
    await this.outbox.publish(promptEvent('prompt.created', id));
    return this.view(caller, id);
  }

  /**
   * Creates many prompts in the current transaction with the rules of `create`, in few statements
   * (an import's batch): each item is validated up front (variables, category, collection, tags
   * right), the plan's prompt limit is read once under the organization's row lock and at most the
   * allowance is created (the items beyond, in order, get `plan_limit_reached`), the prompts and
   * their first versions, tags, audit events (`prompt.created` each) and outbox rows
   * (`prompt.created` each) are written with multi-row statements. An item whose slug is taken
   * (or repeated in the batch) goes through `create` on its own, so it gets the same answer as
   * `POST /prompts` (409 `prompt_slug_taken` for a visible explicit slug, otherwise a suffix).
   * Answers, per item in order, the new prompt or the error that refused it; a database error of
   * the multi-row statements is thrown (the caller rolls back and may retry item by item).
   */
  async createMany(caller: Caller, items: CreatePromptDto[]): Promise<BulkCreateResult[]> {
    requireAccess(caller, 'create', 'Prompt', 'Your role may not create prompts');
    const results = new Array<BulkCreateResult>(items.length);
    const mayTag = can(caller, 'create', 'Tag');
    const known = { categories: new Map<string, boolean>(), collections: new Map<string, boolean>() };
    const exists = async (kind: 'categories' | 'collections', id: string) => {
      let found = known[kind].get(id);
      if (found === undefined) {
        found =
          kind === 'categories'
            ? await this.repo.categoryExists(caller.organizationId, id)
            : await this.repo.collectionExists(caller.organizationId, id);
        known[kind].set(id, found);
      }
      return found;
    };
    const valid: Array<{ index: number; dto: CreatePromptDto; variables: string }> = [];
    for (const [index, dto] of items.entries()) {
      const { variables, errors } = mergeVariables(dto.content, dto.variables);
      if (dto.categoryId && !(await exists('categories', dto.categoryId)))
        errors.push({ field: 'categoryId', message: 'no such category in this organization' });
      if (dto.collectionId && !(await exists('collections', dto.collectionId)))
        errors.push({ field: 'collectionId', message: 'no such collection in this organization' });
      if (errors.length) results[index] = { error: invalidFields(errors) };
      else if (dto.tags?.length && !mayTag)
        results[index] = { error: new AppException('forbidden', 'Your role may not create tags') };
      else valid.push({ index, dto, variables: JSON.stringify(variables) });
    }

    // The plan's prompt limit, once, under the organization's row lock until this transaction ends.
    const allowance = await this.planLimits.promptAllowance(caller.organizationId);
    const accepted = allowance.remaining === null ? valid : valid.slice(0, allowance.remaining);
    for (const v of valid.slice(accepted.length)) results[v.index] = { error: allowance.refusal() };

    const now = new Date();
    const bySlug = new Map<string, (typeof accepted)[number]>();
    const alone: typeof accepted = [];
    for (const a of accepted) {
      const slug = a.dto.slug ?? this.slugOf(a.dto.title);
      if (bySlug.has(slug)) alone.push(a);
      else bySlug.set(slug, a);
    }
    const tagNames = await this.createTagsOf(
      caller,
      [...bySlug.values()].map((a) => a.dto),
    );
    const tagsOf = (dto: CreatePromptDto) => [
      ...new Set((dto.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean)),
    ];
    const inserted = await this.repo.insertMany(
      caller.organizationId,
      caller.userId,
      [...bySlug].map(([slug, { dto, variables }]) => {
        const status = dto.status ?? 'draft';
        return {
          slug,
          // What the tag trigger would compute, so that it finds nothing to rewrite (migration 1764001200000).
          search_tags: tagsOf(dto)
            .sort()
            .map((lower) => tagNames.get(lower) ?? lower),
          title: dto.title,
          description: dto.description ?? '',
          content: dto.content,
          variables,
          metadata: JSON.stringify(stableMetadata(dto.metadata)),
          category_id: dto.categoryId ?? null,
          collection_id: dto.collectionId ?? null,
          status,
          visibility: dto.visibility ?? 'organization',
          published_at: status === 'published' ? now : null,
        };
      }),
    );
    const created: Array<{ index: number; dto: CreatePromptDto; id: string }> = [];
    for (const [slug, a] of bySlug) {
      const id = inserted.get(slug);
      if (id) {
        created.push({ index: a.index, dto: a.dto, id });
        results[a.index] = { id, slug };
      } else alone.push(a);
    }
    await this.versions.insertFirstVersions(
      created.map((c) => ({ promptId: c.id, changeNote: c.dto.changeNote ?? null })),
      caller.userId,
    );
    await this.repo.attachTagsMany(
      caller.organizationId,
      created.flatMap(({ id, dto }) => tagsOf(dto).map((lowerName) => ({ promptId: id, lowerName }))),
    );
    await this.audit.recordMany(
      created.map(({ id, dto }) => ({
        action: 'prompt.created',
        target: { type: 'prompt', id },
        changes: {
          title: dto.title,
          visibility: dto.visibility ?? 'organization',
          status: dto.status ?? 'draft',
        },
      })),
    );
    await this.outbox.publishMany(created.map(({ id }) => promptEvent('prompt.created', id)));

    // Taken or repeated slugs: one by one, as POST /prompts answers them.
    for (const a of alone.sort((x, y) => x.index - y.index)) {
      try {
        const one = await this.repo.inSavepoint('prompt_create_one', () => this.create(caller, a.dto));
        results[a.index] = { id: one.id, slug: one.slug };
      } catch (err) {
        results[a.index] = { error: err };
      }
    }
    return results;
  }

  /**
   * Applies a partial change. Title, description, content, variables or metadata changes make a
   * new version; the other fields change the prompt only. `expectedVersion` other than the
   * current one answers 409 `prompt_version_conflict` (someone saved in between).
   */
  async update(caller: Caller, id: string, dto: UpdatePromptDto): Promise<PromptResponseDto> {
    const prompt = await this.access.loadForWrite(caller, id, 'update');
    if (dto.expectedVersion !== undefined && dto.expectedVersion !== prompt.version) {
      throw new PromptException(
        'prompt_version_conflict',
        `The prompt is at version ${prompt.version}; your change was based on version ${dto.expectedVersion}`,
        { extensions: { currentVersion: prompt.version } },
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
      next.variables = mergeVariables(next.content, []).variables.map(
        (v) => prompt.variables.find((d) => d.name === v.name) ?? v,
      );
    }
    const categoryChanged = dto.categoryId !== undefined && dto.categoryId !== prompt.category_id;
    const collectionChanged = dto.collectionId !== undefined && dto.collectionId !== prompt.collection_id;
    errors.push(
      ...(await this.referenceErrors(
        caller,
        categoryChanged ? dto.categoryId : undefined,
        collectionChanged ? dto.collectionId : undefined,
      )),
    );
    if (errors.length) throw invalidFields(errors);

    const versioned = VERSIONED_FIELDS.filter((f) => !sameJson(next[f], prompt[f]));
    const changed: string[] = [...versioned];
    const set: PromptChange = {};
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
      if (dto.visibility === 'private' && prompt.author_id !== caller.userId) {
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
      await this.withSlug(caller, dto.slug, true, (slug) => this.repo.update(id, { slug }, false));
      changed.push('slug');
    }
    if (dto.tags !== undefined && (await this.tagging.replace(caller, id, dto.tags))) changed.push('tags');
    if (!changed.length) return this.view(caller, id);

    await this.repo.update(id, set);
    if (versioned.length)
      await this.versions.insertFromPrompt(id, prompt.version + 1, dto.changeNote ?? null, caller.userId);
    await this.audit.record({
      action: 'prompt.updated',
      target: { type: 'prompt', id },
      changes: { fields: changed, version: versioned.length ? prompt.version + 1 : prompt.version },
    });
    await this.outbox.publish(promptEvent('prompt.updated', id));
    if (versioned.length)
      await this.outbox.publish(promptEvent('prompt.version_created', id, { version: prompt.version + 1 }));
    return this.view(caller, id);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const prompt = await this.access.loadForWrite(caller, id, 'delete');
    await this.repo.delete(id);
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
    await this.outbox.publish(
      promptEvent('prompt.deleted', id, {
        slug: prompt.slug,
        visibility: prompt.visibility,
        authorId: prompt.author_id,
      }),
    );
  }

  /** A copy owned by the caller: new slug, version 1, no labels or stats; private stays private. */
  async duplicate(caller: Caller, id: string): Promise<PromptResponseDto> {
    const source = await this.access.loadVisible(caller, id);
    requireAccess(caller, 'create', 'Prompt', 'Your role may not create prompts');
    await this.planLimits.assertCanCreate('prompts', caller.organizationId);
    const title = `${source.title} (copy)`.slice(0, 200);
    const newId = await this.insertPrompt(undefined, {
      organization_id: caller.organizationId,
      title,
      description: source.description,
      content: source.content,
      variables: JSON.stringify(source.variables),
      metadata: JSON.stringify(source.metadata),
      category_id: source.category_id,
      collection_id: source.collection_id,
      author_id: caller.userId,
      status: 'draft',
      visibility: source.visibility,
      published_at: null,
    });
    await this.versions.insertFromPrompt(
      newId,
      1,
      `Duplicated from ${source.slug} v${source.version}`,
      caller.userId,
    );
    await this.repo.copyTags(source.id, newId);
    await this.audit.record({
      action: 'prompt.duplicated',
      target: { type: 'prompt', id: newId },
      changes: { sourceId: source.id, sourceVersion: source.version, title },
    });
    await this.outbox.publish(promptEvent('prompt.created', newId));
    return this.view(caller, newId);
  }

  /** Renders the current version, a given version or a labelled one; counts a use. */
  async render(
    caller: Caller,
    id: string,
    values: Record<string, unknown>,
    at: { version?: number; label?: string },
  ): Promise<{ rendered: string; version: number }> {
    const prompt = await this.access.loadVisible(caller, id);
    const snapshot = await this.access.resolveVersion(prompt, at);
    const { rendered, errors } = renderTemplate(snapshot.content, snapshot.variables, values);
    if (errors.length)
      throw new PromptException(
        'prompt_variables_invalid',
        'Some variables are missing or of the wrong type',
        {
          errors,
        },
      );
    this.stats.countUse(prompt.organization_id, prompt.id);
    this.usage.count('render', caller, { promptId: prompt.id, version: snapshot.version, label: at.label });
    return { rendered, version: snapshot.version };
  }

  // ---------------------------------------------------------------- internals

  private toDto(r: PromptViewRow): PromptResponseDto {
    return toPromptDto(r, this.stats.pendingFor(r.organization_id, r.id));
  }

  /** Category and collection must exist in this organization (400 naming the field otherwise). */
  private async referenceErrors(
    caller: Caller,
    categoryId: string | null | undefined,
    collectionId: string | null | undefined,
  ): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    if (categoryId && !(await this.repo.categoryExists(caller.organizationId, categoryId)))
      errors.push({ field: 'categoryId', message: 'no such category in this organization' });
    if (collectionId && !(await this.repo.collectionExists(caller.organizationId, collectionId)))
      errors.push({ field: 'collectionId', message: 'no such collection in this organization' });
    return errors;
  }

  /**
   * Tries a slug inside a savepoint (so a taken one does not abort the transaction). An explicit
   * slug that a prompt the user can see holds answers 409 `prompt_slug_taken`; a generated one,
   * or one held by somebody else's private prompt, gets a random suffix and is tried again. The
   * private prompt's holder is thus never named nor confirmed by a refusal (issue 16, item 12):
   * the answer is a success, as for a free slug, with the stored slug in the body.
   */
  private async withSlug<T>(
    who: TenantUser,
    slug: string,
    explicit: boolean,
    write: (slug: string) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? slug : `${slug.slice(0, 90)}-${randomBytes(3).toString('hex')}`;
      try {
        return await this.repo.inSavepoint('prompt_slug', () => write(candidate));
      } catch (err) {
        if (!isUniqueViolation(err, 'prompts_org_slug_key')) throw err;
        if (explicit && attempt === 0 && (await this.repo.slugVisible(who, slug)))
          throw new PromptException('prompt_slug_taken', `The slug "${slug}" is taken in this organization`, {
            errors: [{ field: 'slug', message: 'another prompt of this organization has this slug' }],
          });
        if (attempt >= 5) throw err;
      }
    }
  }

  /**
   * Creates the tags the prompts name that the organization lacks (with their `tag.created`
   * events, as tagging does); answers the stored name of every tag named, by lower-case name.
   */
  private async createTagsOf(caller: Caller, dtos: CreatePromptDto[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const dto of dtos)
      for (const n of (dto.tags ?? []).map((t) => t.trim()).filter(Boolean))
        if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
    if (!names.size) return names;
    const created = await this.repo.createTags(caller.organizationId, [...names.values()]);
    await this.audit.recordMany(
      created.map((tag) => ({
        action: 'tag.created',
        target: { type: 'tag', id: tag.id },
        changes: { name: tag.name, via: 'tagging' },
      })),
    );
    return this.repo.tagNames(caller.organizationId, [...names.keys()]);
  }

  /** The slug a prompt without one gets from its title. */
  private slugOf(title: string): string {
    const hasAscii = /[a-z0-9]/i.test(title.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
    return hasAscii ? slugify(title) : 'prompt';
  }

  /** Inserts the prompt under `slug`, or a slug made from the title. */
  private insertPrompt(slug: string | undefined, values: PromptInsert): Promise<string> {
    const base = slug ?? this.slugOf(values.title);
    const who = { organizationId: values.organization_id, userId: values.author_id };
    return this.withSlug(who, base, slug !== undefined, (candidate) => this.repo.insert(candidate, values));
  }
}
