import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainException, notFound, AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { TagResponseDto } from './dto/taxonomy.response.dto';
import { Tag } from './entities/tag.entity';
import { PromptIndex } from './prompt-index';

interface NameCursor {
  n: string;
  id: string;
}
export const isNameCursor = (v: unknown): v is NameCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as NameCursor).n === 'string' &&
  typeof (v as NameCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as NameCursor).id);

interface TagRow {
  id: string;
  name: string;
  created_at: Date;
  usage: number;
}

const toDto = (r: TagRow): TagResponseDto => ({
  id: r.id,
  name: r.name,
  usage: Number(r.usage),
  createdAt: new Date(r.created_at).toISOString(),
});

const likePrefix = (s: string) => `${s.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Tags of an organization. Names are unique regardless of case. Renaming or deleting a tag changes
 * every prompt that carries it, so each of those prompts gets a `prompt.updated` outbox row.
 */
@Injectable()
export class TagsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly index: PromptIndex,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** Tags sorted by name, with how many prompts the caller can see carry each. */
  async list(
    organizationId: string,
    limit: number,
    cursor?: string,
    q?: string,
  ): Promise<Page<TagResponseDto>> {
    const params: unknown[] = [organizationId, limit + 1];
    const where = ['t.organization_id = $1'];
    if (q) {
      params.push(likePrefix(q));
      where.push(`lower(t.name) LIKE $${params.length} ESCAPE '\\'`);
    }
    if (cursor) {
      const c = decodeCursor(cursor, isNameCursor);
      params.push(c.n, c.id);
      where.push(`(lower(t.name), t.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    // Prompts' row-level security applies inside the count: others' private prompts are not counted.
    const rows: TagRow[] = await this.em.query(
      `SELECT t.id, t.name, t.created_at,
              (SELECT count(*) FROM prompt_tags pt JOIN prompts p ON p.id = pt.prompt_id
                WHERE pt.tag_id = t.id)::int AS usage
         FROM tags t
        WHERE ${where.join(' AND ')}
        ORDER BY lower(t.name), t.id
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => ({ n: r.name.toLowerCase(), id: r.id }), toDto);
  }

  async create(organizationId: string, name: string): Promise<TagResponseDto> {
    const tag = this.em.create(Tag, { organizationId, name });
    try {
      await this.em.insert(Tag, tag);
    } catch (err) {
      if (isUniqueViolation(err, 'tags_org_name_key')) throw this.taken(name);
      throw err;
    }
    await this.audit.record({
      action: 'tag.created',
      target: { type: 'tag', id: tag.id },
      changes: { name },
    });
    return this.get(organizationId, tag.id);
  }

  async rename(organizationId: string, id: string, name: string): Promise<TagResponseDto> {
    const tag = await this.find(organizationId, id);
    if (tag.name !== name) {
      try {
        await this.em.update(Tag, { id }, { name });
      } catch (err) {
        if (isUniqueViolation(err, 'tags_org_name_key')) throw this.taken(name);
        throw err;
      }
      await this.audit.record({
        action: 'tag.renamed',
        target: { type: 'tag', id },
        changes: { from: tag.name, to: name },
      });
      await this.index.changed(await this.taggedPrompts(id), 'tag.renamed');
    }
    return this.get(organizationId, id);
  }

  /** Removes the tag from every prompt and deletes it. */
  async remove(organizationId: string, id: string): Promise<void> {
    const tag = await this.find(organizationId, id);
    const prompts = await this.taggedPrompts(id);
    await this.em.delete(Tag, { id });
    await this.audit.record({
      action: 'tag.deleted',
      target: { type: 'tag', id },
      changes: { name: tag.name, prompts: prompts.length },
    });
    await this.index.changed(prompts, 'tag.deleted');
  }

  private async get(organizationId: string, id: string): Promise<TagResponseDto> {
    const [row]: TagRow[] = await this.em.query(
      `SELECT t.id, t.name, t.created_at,
              (SELECT count(*) FROM prompt_tags pt JOIN prompts p ON p.id = pt.prompt_id
                WHERE pt.tag_id = t.id)::int AS usage
         FROM tags t WHERE t.organization_id = $1 AND t.id = $2`,
      [organizationId, id],
    );
    if (!row) throw notFound('Tag');
    return toDto(row);
  }

  private async find(organizationId: string, id: string): Promise<Tag> {
    const tag = await this.em.findOneBy(Tag, { organizationId, id });
    if (!tag) throw notFound('Tag');
    return tag;
  }

  /** Every prompt carrying the tag, private ones of other members included (the index needs them). */
  private taggedPrompts(tagId: string): Promise<string[]> {
    return this.index.idsOf(
      'EXISTS (SELECT 1 FROM prompt_tags pt WHERE pt.prompt_id = p.id AND pt.tag_id = $1)',
      [tagId],
    );
  }

  private taken(name: string): DomainException {
    return new AppException('conflict', `A tag named "${name}" already exists`, {
      errors: [{ field: 'name', message: 'a tag with this name already exists (names ignore case)' }],
    });
  }
}
