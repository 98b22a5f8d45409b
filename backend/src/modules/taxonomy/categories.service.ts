import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { notFound, AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { CreateCategoryDto, UpdateCategoryDto } from './dto/taxonomy.dto';
import { CategoryResponseDto } from './dto/taxonomy.response.dto';
import { Category } from './entities/category.entity';
import { PromptIndex } from './prompt-index';
import { isNameCursor } from './tags.service';

interface CategoryRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
  prompt_count: number;
}

const toDto = (r: CategoryRow): CategoryResponseDto => ({
  id: r.id,
  name: r.name,
  description: r.description,
  promptCount: Number(r.prompt_count),
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

// Prompts' row-level security applies inside the count: others' private prompts are not counted.
const SELECT = `
  SELECT c.id, c.name, c.description, c.created_at, c.updated_at,
         (SELECT count(*) FROM prompts p WHERE p.category_id = c.id)::int AS prompt_count
    FROM categories c`;

/** Categories (a flat list managed by OWNER/ADMIN; the four defaults come with every organization). */
@Injectable()
export class CategoriesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly index: PromptIndex,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  async list(organizationId: string, limit: number, cursor?: string): Promise<Page<CategoryResponseDto>> {
    const params: unknown[] = [organizationId, limit + 1];
    let after = '';
    if (cursor) {
      const c = decodeCursor(cursor, isNameCursor);
      params.push(c.n, c.id);
      after = 'AND (lower(c.name), c.id) > ($3, $4::uuid)';
    }
    const rows: CategoryRow[] = await this.em.query(
      `${SELECT} WHERE c.organization_id = $1 ${after} ORDER BY lower(c.name), c.id LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => ({ n: r.name.toLowerCase(), id: r.id }), toDto);
  }

  async create(organizationId: string, dto: CreateCategoryDto): Promise<CategoryResponseDto> {
    const category = this.em.create(Category, {
      organizationId,
      name: dto.name,
      description: dto.description ?? null,
    });
    await this.write(dto.name, () => this.em.insert(Category, category));
    await this.audit.record({
      action: 'category.created',
      target: { type: 'category', id: category.id },
      changes: { name: category.name, description: category.description },
    });
    return this.get(organizationId, category.id);
  }

  async update(organizationId: string, id: string, dto: UpdateCategoryDto): Promise<CategoryResponseDto> {
    const category = await this.find(organizationId, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (dto.name !== undefined && dto.name !== category.name)
      changes.name = { from: category.name, to: dto.name };
    if (dto.description !== undefined && dto.description !== category.description)
      changes.description = { from: category.description, to: dto.description };
    if (Object.keys(changes).length) {
      await this.write(dto.name ?? category.name, () =>
        this.em.update(
          Category,
          { id },
          {
            ...(changes.name ? { name: dto.name } : {}),
            ...(changes.description ? { description: dto.description } : {}),
          },
        ),
      );
      await this.audit.record({ action: 'category.updated', target: { type: 'category', id }, changes });
      // Search filters and facets show category names: prompts in a renamed category change too.
      if (changes.name)
        await this.index.changed(await this.index.idsOf('p.category_id = $1', [id]), 'category.updated');
    }
    return this.get(organizationId, id);
  }

  /** Deletes the category; its prompts become uncategorized (they are not deleted). */
  async remove(organizationId: string, id: string): Promise<void> {
    const category = await this.find(organizationId, id);
    const prompts = await this.index.idsOf('p.category_id = $1', [id]);
    // The foreign key (ON DELETE SET NULL) uncategorizes every prompt, private ones included.
    await this.em.delete(Category, { id });
    await this.audit.record({
      action: 'category.deleted',
      target: { type: 'category', id },
      changes: { name: category.name, prompts: prompts.length },
    });
    await this.index.changed(prompts, 'category.deleted');
  }

  private async get(organizationId: string, id: string): Promise<CategoryResponseDto> {
    const [row]: CategoryRow[] = await this.em.query(`${SELECT} WHERE c.organization_id = $1 AND c.id = $2`, [
      organizationId,
      id,
    ]);
    if (!row) throw notFound('Category');
    return toDto(row);
  }

  private async find(organizationId: string, id: string): Promise<Category> {
    const category = await this.em.findOneBy(Category, { organizationId, id });
    if (!category) throw notFound('Category');
    return category;
  }

  private async write(name: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (isUniqueViolation(err, 'categories_org_name_key'))
        throw new AppException('conflict', `A category named "${name}" already exists`, {
          errors: [
            { field: 'name', message: 'a category with this name already exists (names ignore case)' },
          ],
        });
      throw err;
    }
  }
}
