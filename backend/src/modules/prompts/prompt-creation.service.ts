import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { can, requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException, FieldError, notFound } from '../../common/errors/domain.exception';
import { isUniqueViolation } from '../../database/errors';
import { AuditService } from '../audit/audit.service';
import { TagsService } from '../taxonomy/tags.service';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { slugify } from '../organizations/slug';
import { OutboxService } from '../outbox/outbox.service';
import { VersionsRepository } from '../versions/versions.repository';
import { CreatePromptDto } from './dto/prompt.dto';
import { PromptResponseDto } from './dto/prompt.response.dto';
import { PromptStats } from './prompt-stats';
import { PromptTagging } from './prompt-tagging.service';
import { type TenantUser } from './prompt.model';
import { PromptException } from './prompts.errors';
import { promptEvent, stableMetadata, toPromptDto } from './prompts.mapper';
import { PromptInsert, PromptsRepository } from './prompts.repository';
import { mergeVariables } from './variables';

/** Per item of `createMany`: the new prompt, or why it was not created. */
export type BulkCreateResult = { id: string; slug: string } | { error: unknown };

export const invalidFields = (errors: FieldError[]) =>
  new AppException('validation_failed', 'The prompt has invalid fields', { errors });

/**
 * Creating prompts: one (`POST /prompts`, templates, imports' rows with a history) or many in few
 * statements (an import's batch), and the slug rules every insert of a prompt follows (a taken
 * slug retried in a savepoint, `withSlug`), which PromptsService uses for duplicates and slug
 * changes too. Same transaction rules as PromptsService: audit events and outbox rows are written
 * in the caller's tenant transaction.
 */
@Injectable()
export class PromptCreationService {
  constructor(
    private readonly repo: PromptsRepository,
    private readonly versions: VersionsRepository,
    private readonly tagging: PromptTagging,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly stats: PromptStats,
    private readonly planLimits: PlanLimitsService,
    private readonly tags: TagsService,
  ) {}

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
    // The search generation moves once, before the audit events (whose lock comes after it, as
    // in every other change of prompts), not at each statement (PromptsRepository).
    await this.repo.deferSearchGeneration();
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
    await this.repo.endSearchGenerationDeferral(created.length > 0);
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

  // ---------------------------------------------------------------- internals

  /** The response shape of a prompt (as PromptsService.view). */
  private async view(caller: Caller, id: string): Promise<PromptResponseDto> {
    const row = await this.repo.findView(caller, id);
    if (!row) throw notFound('Prompt');
    return toPromptDto(row, this.stats.pendingFor(row.organization_id, row.id));
  }

  /** Category and collection must exist in this organization (400 naming the field otherwise). */
  async referenceErrors(
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
  async withSlug<T>(
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

  /** Creates the tags the prompts name that the organization lacks (TagsService.createForTagging). */
  private createTagsOf(caller: Caller, dtos: CreatePromptDto[]): Promise<Map<string, string>> {
    return this.tags.createForTagging(
      caller.organizationId,
      dtos.flatMap((dto) => dto.tags ?? []),
    );
  }

  /** The slug a prompt without one gets from its title. */
  private slugOf(title: string): string {
    const hasAscii = /[a-z0-9]/i.test(title.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
    return hasAscii ? slugify(title) : 'prompt';
  }

  /** Inserts the prompt under `slug`, or a slug made from the title. */
  insertPrompt(slug: string | undefined, values: PromptInsert): Promise<string> {
    const base = slug ?? this.slugOf(values.title);
    const who = { organizationId: values.organization_id, userId: values.author_id };
    return this.withSlug(who, base, slug !== undefined, (candidate) => this.repo.insert(candidate, values));
  }
}
