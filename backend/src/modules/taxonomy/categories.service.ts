import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { CategoriesRepository, CategoryRow } from './categories.repository';
import { CreateCategoryDto, UpdateCategoryDto } from './dto/taxonomy.dto';
import { CategoryResponseDto } from './dto/taxonomy.response.dto';
import { PromptIndex } from './prompt-index';
import { isNameCursor } from './tags.service';
import { writeName } from './name-writes';

const toDto = (r: CategoryRow): CategoryResponseDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  promptCount: Number(r.prompt_count),
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Categories (a flat list managed by OWNER/ADMIN; the four defaults come with every organization). */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly categories: CategoriesRepository,
    private readonly audit: AuditService,
    private readonly index: PromptIndex,
  ) {}

  async list(caller: Caller, limit: number, cursor?: string): Promise<Page<CategoryResponseDto>> {
    const rows = await this.categories.page(
      caller.organizationId,
      limit,
      cursor ? decodeCursor(cursor, isNameCursor) : undefined,
    );
    return toPage(rows, limit, (r) => ({ n: r.name.toLowerCase(), id: r.id }), toDto);
  }

  async create(caller: Caller, dto: CreateCategoryDto): Promise<CategoryResponseDto> {
    const description = dto.description ?? null;
    const id = await writeName(this.audit, caller.organizationId, 'category', dto.name, () =>
      this.categories.insert(caller.organizationId, dto.name, description),
    );
    await this.audit.record({
      action: 'category.created',
      target: { type: 'category', id },
      changes: { name: dto.name, description },
    });
    return this.get(caller, id);
  }

  async update(caller: Caller, id: string, dto: UpdateCategoryDto): Promise<CategoryResponseDto> {
    const category = await this.get(caller, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (dto.name !== undefined && dto.name !== category.name)
      changes.name = { from: category.name, to: dto.name };
    if (dto.description !== undefined && dto.description !== category.description)
      changes.description = { from: category.description, to: dto.description };
    if (Object.keys(changes).length) {
      await writeName(this.audit, caller.organizationId, 'category', dto.name ?? category.name, () =>
        this.categories.update(id, {
          ...(changes.name ? { name: dto.name } : {}),
          ...(changes.description ? { description: dto.description } : {}),
        }),
      );
      await this.audit.record({ action: 'category.updated', target: { type: 'category', id }, changes });
      // Search filters and facets show category names: prompts in a renamed category change too.
      if (changes.name)
        await this.index.changed(await this.index.prompts.idsInCategory(id), 'category.updated');
    }
    return this.get(caller, id);
  }

  /** Deletes the category; its prompts become uncategorized (they are not deleted). */
  async remove(caller: Caller, id: string): Promise<void> {
    const category = await this.get(caller, id);
    const prompts = await this.index.prompts.idsInCategory(id);
    await this.categories.delete(id);
    await this.audit.record({
      action: 'category.deleted',
      target: { type: 'category', id },
      changes: { name: category.name, prompts: prompts.length },
    });
    await this.index.changed(prompts, 'category.deleted');
  }

  private async get(caller: Caller, id: string): Promise<CategoryResponseDto> {
    const row = await this.categories.find(caller.organizationId, id);
    if (!row) throw notFound('Category');
    return toDto(row);
  }
}
