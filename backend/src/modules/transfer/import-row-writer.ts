import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { PromptsRepository } from '../prompts/prompts.repository';
import { CreatePromptDto } from '../prompts/dto/prompt.dto';
import { PromptsService } from '../prompts/prompts.service';
import { CategoriesService } from '../taxonomy/categories.service';
import { CollectionsService } from '../taxonomy/collections.service';
import { TaxonomyException } from '../taxonomy/taxonomy.errors';
import { VersionsService } from '../versions/versions.service';
import { ImportRecord, ImportVersion } from './formats/import-record';
import { ImportRecordRow, ImportRowsRepository } from './import-rows.repository';
import { ImportRow, ImportsRepository } from './imports.repository';
import { describe, Outcome, skipped, tagsOf, versionFields } from './import-shared';
import { TransferLookups } from './transfer-lookups.repository';

/** Categories and collections of the organization by lower-case name (a batch's lookups). */
export interface ImportTaxonomy {
  categories: Map<string, string>;
  collections: Map<string, string>;
}

/**
 * What an import writes for one record, through the prompts' and taxonomy's services: the
 * creation a batch hands to PromptCreationService.createMany (`createDto`), a row applied on its
 * own with its history, labels or new version (`applyRow`), and free slugs for renamed duplicates.
 * ImportRunner decides which rows go which way and records their outcomes.
 */
@Injectable()
export class ImportRowWriter {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly importRows: ImportRowsRepository,
    private readonly prompts: PromptsService,
    private readonly promptRows: PromptsRepository,
    private readonly versions: VersionsService,
    private readonly categories: CategoriesService,
    private readonly collections: CollectionsService,
    private readonly lookups: TransferLookups,
  ) {}

  /**
   * What creates a record's prompt (its first version: `first`), its category and collection
   * found by name (created when missing, in a savepoint: a refusal must not abort the batch). A
   * name another member created after the batch read `context` is taken (409 `*_name_taken`): the
   * names are read again and that category or collection is used.
   */
  async createDto(
    caller: Caller,
    imp: ImportRow,
    record: ImportRecord,
    first: ImportVersion | ImportRecord,
    context: ImportTaxonomy,
  ): Promise<CreatePromptDto> {
    const lookup = async (
      name: string | null,
      known: Map<string, string>,
      make: (name: string) => Promise<string>,
      reread: () => Promise<Map<string, string>>,
    ): Promise<string | null> => {
      if (!name) return null;
      const key = name.toLowerCase();
      const id = known.get(key);
      if (id) return id;
      try {
        return await this.promptRows.inSavepoint('import_taxonomy', () => make(name));
      } catch (err) {
        const taken =
          err instanceof TaxonomyException &&
          (err.code === 'category_name_taken' || err.code === 'collection_name_taken');
        if (!taken) throw err;
        const now = await reread();
        const existing = now.get(key);
        if (!existing) throw err;
        known.set(key, existing);
        return existing;
      }
    };
    return {
      ...versionFields(first),
      slug: record.explicitSlug ? record.slug : undefined,
      tags: tagsOf(record, imp),
      categoryId:
        (await lookup(
          record.category,
          context.categories,
          (n) => this.categoryId(caller, n, context.categories),
          () => this.lookups.categories(),
        )) ?? undefined,
      collectionId:
        imp.collection_id ??
        (await lookup(
          record.collection,
          context.collections,
          (n) => this.collectionId(caller, n, context.collections),
          () => this.lookups.collections(),
        )) ??
        undefined,
      status: record.status,
      visibility: record.visibility,
      changeNote: ('changeNote' in first ? first.changeNote : null) ?? `Imported from ${imp.filename}`,
    };
  }

  /** A row applied on its own (a history, labels, a new version, or a bulk creation's fallback). */
  async applyRow(
    caller: Caller,
    imp: ImportRow,
    r: ImportRecordRow,
    context: ImportTaxonomy,
  ): Promise<Outcome> {
    const record = r.data;
    const strategy = imp.on_duplicate ?? 'skip';
    if (!record || (r.duplicate && strategy === 'skip')) return skipped(r);
    if (r.duplicate) {
      if (strategy === 'new_version') {
        const target =
          r.existing_prompt_id ?? (await this.importRows.promptOfEarlierRow(imp.id, record.slug, r.row));
        if (target) {
          await this.prompts.update(caller, target, {
            ...versionFields(record),
            tags: tagsOf(record, imp),
            changeNote: `Imported from ${imp.filename}`,
          });
          return { outcome: 'updated', action: 'new_version', promptId: target, detail: null };
        }
      }
      if (strategy === 'rename') {
        const slug = await this.freeSlug(imp.organization_id, record.slug);
        const id = await this.create(caller, imp, { ...record, slug, explicitSlug: true }, context);
        return {
          outcome: 'created',
          action: 'rename',
          promptId: id.promptId,
          detail: id.detail ?? `renamed to ${slug}`,
        };
      }
    }
    const created = await this.create(caller, imp, record, context);
    return { outcome: 'created', action: 'create', promptId: created.promptId, detail: created.detail };
  }

  /** The prompt with its whole history: version 1, then each later version, then its labels. */
  private async create(
    caller: Caller,
    imp: ImportRow,
    record: ImportRecord,
    context: ImportTaxonomy,
  ): Promise<{ promptId: string; detail: string | null }> {
    const [first, ...later]: ImportVersion[] = record.versions.length
      ? record.versions
      : [{ ...versionFields(record), changeNote: null }];
    const created = await this.prompts.create(
      caller,
      await this.createDto(caller, imp, record, first, context),
    );
    for (const v of later)
      await this.prompts.update(caller, created.id, {
        ...versionFields(v),
        changeNote: v.changeNote ?? undefined,
      });
    if (record.versions.length) await this.prompts.update(caller, created.id, versionFields(record));
    const notes: string[] = [];
    for (const [label, version] of Object.entries(record.labels)) {
      try {
        await this.promptRows.inSavepoint('import_label', () =>
          this.versions.moveLabel(caller, created.id, label, version),
        );
      } catch (err) {
        notes.push(`label ${label} not set: ${describe(err)}`);
      }
    }
    return { promptId: created.id, detail: notes.length ? notes.join('; ') : null };
  }

  private async categoryId(caller: Caller, name: string, known: Map<string, string>): Promise<string> {
    const created = await this.categories.create(caller, { name });
    known.set(name.toLowerCase(), created.id);
    return created.id;
  }

  private async collectionId(caller: Caller, name: string, known: Map<string, string>): Promise<string> {
    const created = await this.collections.create(caller, { name });
    known.set(name.toLowerCase(), created.id);
    return created.id;
  }

  /** `slug-2`, `slug-3`, … : the first the organization does not use (as far as the importer sees). */
  async freeSlug(organizationId: string, slug: string, reserved?: Set<string>): Promise<string> {
    const base = slug.slice(0, 90);
    for (let from = 2; ; from += 20) {
      const candidates = Array.from({ length: 20 }, (_, i) => `${base}-${from + i}`);
      const taken = await this.imports.takenSlugs(organizationId, candidates);
      // `reserved`: slugs already given to renamed rows of the same batch, not inserted yet.
      const free = candidates.find((c) => !taken.has(c) && !reserved?.has(c));
      if (free) {
        reserved?.add(free);
        return free;
      }
    }
  }
}
