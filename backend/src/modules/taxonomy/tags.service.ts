import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { TagResponseDto } from './dto/taxonomy.response.dto';
import { PromptIndex } from './prompt-index';
import { TagRow, TagsRepository } from './tags.repository';
import { writeName } from './name-writes';

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

const toDto = (r: TagRow): TagResponseDto => ({
  id: r.id,
  name: r.name,
  usage: Number(r.usage),
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * Tags of an organization. Names are unique regardless of case. Renaming or deleting a tag changes
 * every prompt that carries it, so each of those prompts gets a `prompt.updated` outbox row.
 */
@Injectable()
export class TagsService {
  constructor(
    private readonly tags: TagsRepository,
    private readonly audit: AuditService,
    private readonly index: PromptIndex,
  ) {}

  /** Tags sorted by name, with how many prompts the caller can see carry each. */
  async list(caller: Caller, limit: number, cursor?: string, q?: string): Promise<Page<TagResponseDto>> {
    const rows = await this.tags.page(
      caller.organizationId,
      limit,
      cursor ? decodeCursor(cursor, isNameCursor) : undefined,
      q,
    );
    return toPage(rows, limit, (r) => ({ n: r.name.toLowerCase(), id: r.id }), toDto);
  }

  async create(caller: Caller, name: string): Promise<TagResponseDto> {
    const id = await writeName(this.audit, caller.organizationId, 'tag', name, () =>
      this.tags.insert(caller.organizationId, name),
    );
    await this.audit.record({ action: 'tag.created', target: { type: 'tag', id }, changes: { name } });
    return this.get(caller, id);
  }

  async rename(caller: Caller, id: string, name: string): Promise<TagResponseDto> {
    const tag = await this.get(caller, id);
    if (tag.name !== name) {
      // The prompts the rename's trigger rewrites are locked before the chain lock the name's write
      // takes, as every change of prompts locks them.
      await this.index.prompts.lockTagged(id);
      await writeName(this.audit, caller.organizationId, 'tag', name, () => this.tags.rename(id, name));
      await this.audit.record({
        action: 'tag.renamed',
        target: { type: 'tag', id },
        changes: { from: tag.name, to: name },
      });
      await this.index.changed(await this.taggedPrompts(id), 'tag.renamed');
    }
    return this.get(caller, id);
  }

  /**
   * Merges tag `id` into tag `into`: every prompt that carried `id` carries `into` (once), and `id`
   * is deleted. Answers the surviving tag. Merging a tag into itself is a 400.
   */
  async merge(caller: Caller, id: string, into: string): Promise<TagResponseDto> {
    if (id === into) {
      const message = 'into must be another tag than the one merged';
      throw new AppException('validation_failed', message, { errors: [{ field: 'into', message }] });
    }
    const source = await this.get(caller, id);
    const target = await this.get(caller, into);
    const prompts = await this.taggedPrompts(id);
    await this.index.prompts.retag(caller.organizationId, id, into);
    await this.tags.delete(id);
    await this.audit.record({
      action: 'tag.merged',
      target: { type: 'tag', id: into },
      changes: {
        from: { id, name: source.name },
        into: { id: into, name: target.name },
        prompts: prompts.length,
      },
    });
    await this.index.changed(prompts, 'tag.merged');
    return this.get(caller, into);
  }

  /**
   * Creates the named tags the organization lacks, as tagging a prompt does (case-insensitively
   * unique: the first spelling wins), each with its `tag.created` event; answers the stored name
   * of every tag named, by lower-case name. The caller's right to create tags is checked by the
   * caller of this method: a prompt's save checks it only when a tag is missing.
   */
  async createForTagging(organizationId: string, names: string[]): Promise<Map<string, string>> {
    const wanted = new Map<string, string>();
    for (const n of names.map((s) => s.trim()).filter(Boolean))
      if (!wanted.has(n.toLowerCase())) wanted.set(n.toLowerCase(), n);
    if (!wanted.size) return wanted;
    const stored = await this.tags.storedNames(organizationId, [...wanted.keys()]);
    if (stored.size === wanted.size) return stored;
    // New tags under the organization's audit chain lock, taken first, as writeName takes it (the
    // insert skips names taken meanwhile rather than failing on them).
    await this.audit.lockChain(organizationId);
    const created = await this.tags.insertMissing(
      organizationId,
      [...wanted.entries()].filter(([lower]) => !stored.has(lower)).map(([, name]) => name),
    );
    await this.audit.recordMany(
      created.map((tag) => ({
        action: 'tag.created',
        target: { type: 'tag', id: tag.id },
        changes: { name: tag.name, via: 'tagging' },
      })),
    );
    return this.tags.storedNames(organizationId, [...wanted.keys()]);
  }

  /** Removes the tag from every prompt and deletes it. */
  async remove(caller: Caller, id: string): Promise<void> {
    const tag = await this.get(caller, id);
    const prompts = await this.taggedPrompts(id);
    await this.tags.delete(id);
    await this.audit.record({
      action: 'tag.deleted',
      target: { type: 'tag', id },
      changes: { name: tag.name, prompts: prompts.length },
    });
    await this.index.changed(prompts, 'tag.deleted');
  }

  private async get(caller: Caller, id: string): Promise<TagResponseDto> {
    const row = await this.tags.find(caller.organizationId, id);
    if (!row) throw notFound('Tag');
    return toDto(row);
  }

  /** Every prompt carrying the tag, private ones of other members included (the index needs them). */
  private taggedPrompts(tagId: string): Promise<string[]> {
    return this.index.prompts.idsTagged(tagId);
  }
}
