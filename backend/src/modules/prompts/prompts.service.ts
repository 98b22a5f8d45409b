import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException, FieldError, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { UsageRecorder } from '../analytics/usage-recorder';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { OutboxService } from '../outbox/outbox.service';
import { VersionsRepository } from '../versions/versions.repository';
import { CreatePromptDto, ListPromptsQueryDto, UpdatePromptDto } from './dto/prompt.dto';
import { PromptResponseDto } from './dto/prompt.response.dto';
import { PromptAccess } from './prompt-access.service';
import { invalidFields, PromptCreationService } from './prompt-creation.service';
import { PromptStats } from './prompt-stats';
import { PromptTagging } from './prompt-tagging.service';
import { PromptSnapshot, VERSIONED_FIELDS } from './prompt.model';
import { PromptException } from './prompts.errors';
import { promptEvent, sameJson, stableMetadata, toPromptDto } from './prompts.mapper';
import { PromptChange, PromptsRepository, PromptViewRow } from './prompts.repository';
import { PROMPT_SORTS } from './prompts.sql';
import { mergeVariables, renderTemplate } from './variables';

type ListCursor = { k: string; id: string };
const isListCursor = (v: unknown): v is ListCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ListCursor).k === 'string' &&
  typeof (v as ListCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as ListCursor).id);

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
    private readonly creation: PromptCreationService,
  ) {}

  // ---------------------------------------------------------------- reading

  /** One prompt as the contract shapes it; counts a view. */
  async get(caller: Caller, id: string): Promise<PromptResponseDto> {
    const row = await this.repo.findView(caller, id, true);
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

  /** As `POST /prompts`: see PromptCreationService.create. */
  create(caller: Caller, dto: CreatePromptDto): Promise<PromptResponseDto> {
    return this.creation.create(caller, dto);
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
      ...(await this.creation.referenceErrors(
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
      await this.creation.withSlug(caller, dto.slug, true, (slug) => this.repo.update(id, { slug }, false));
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
    const newId = await this.creation.insertPrompt(undefined, {
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
}
