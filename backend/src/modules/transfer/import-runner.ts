import { Injectable, Logger } from '@nestjs/common';
import { can } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../outbox/outbox.service';
import { PromptsRepository } from '../prompts/prompts.repository';
import { CreatePromptDto } from '../prompts/dto/prompt.dto';
import { PromptCreationService } from '../prompts/prompt-creation.service';
import { PromptsService } from '../prompts/prompts.service';
import { CategoriesService } from '../taxonomy/categories.service';
import { CollectionsService } from '../taxonomy/collections.service';
import { VersionsService } from '../versions/versions.service';
import { ImportRecord, ImportVersion } from './formats/import-record';
import { ImportRecordRow, ImportRow, ImportsRepository } from './imports.repository';
import {
  completeImport,
  describe,
  failImport,
  Outcome,
  skipped,
  tagsOf,
  versionFields,
} from './import-shared';
import { ImportValidation } from './import-validation';
import { JobCallerGone, JobCallers } from './job-caller';
import { TransferLookups } from './transfer-lookups.repository';

/**
 * Rows committed per transaction: a killed job loses at most one batch's work, which is redone. Plain
 * creations of a batch are written with multi-row statements (PromptCreationService.createMany).
 */
export const COMMIT_BATCH = 500;

/**
 * The jobs of an import. Validation is ImportValidation's (`validate` hands it over). The commit
 * creates prompts through PromptCreationService / PromptsService / VersionsService (their checks,
 * audit events and outbox rows) in batches of COMMIT_BATCH rows, each batch a transaction that
 * also records each row's outcome: a killed commit resumes at the first row without one, and a row
 * is never imported twice. Both run as the member who uploaded the file.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly lookups: TransferLookups,
    private readonly callers: JobCallers,
    private readonly transactions: TenantTransactions,
    private readonly prompts: PromptsService,
    private readonly creation: PromptCreationService,
    private readonly validation: ImportValidation,
    private readonly promptRows: PromptsRepository,
    private readonly versions: VersionsService,
    private readonly categories: CategoriesService,
    private readonly collections: CollectionsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** The validation job (ImportValidation). */
  validate(organizationId: string, importId: string, createdBy: string | null): Promise<void> {
    return this.validation.validate(organizationId, importId, createdBy);
  }

  // ------------------------------------------------------------------ commit

  /** Commits batch after batch until no row is left, then completes the import once. */
  async commit(organizationId: string, importId: string, createdBy: string | null): Promise<void> {
    try {
      // Every row up to `after` has its outcome (this job's previous batches).
      let after = 0;
      for (;;) {
        const more = await this.callers.run(organizationId, createdBy, (caller) =>
          this.commitBatch(caller, importId, after),
        );
        if (more === null) return;
        after = more;
      }
    } catch (err) {
      if (!(err instanceof JobCallerGone)) throw err;
      await failImport(this.transactions, this.imports, this.logger, organizationId, importId, err.message);
    }
  }

  /**
   * One batch (the pending rows after row `after`) in the current transaction; answers the last row
   * it handled, or null once the import is complete (or not importing).
   * Rows that need no write (invalid, skipped duplicates) are settled at once; plain creations
   * (and renamed duplicates) go to PromptsService.createMany together; rows with a version history
   * or labels, and new versions of existing prompts, are applied one by one. Should the multi-row
   * creation fail as a whole (a database error), it is rolled back and its rows are applied one by
   * one, each in its own savepoint, so one bad row never loses the batch.
   */
  private async commitBatch(caller: Caller, importId: string, after = 0): Promise<number | null> {
    // The lock serializes jobs of one import (a resumed one and a slow original): no row twice.
    const imp = await this.imports.find(importId, true);
    if (!imp || imp.status !== 'importing') return null;
    if (!can(caller, 'create', 'Prompt'))
      throw new JobCallerGone('The member who started this import may no longer create prompts');
    // A job's first batch counts the rows again: the counts then follow this job's outcomes.
    if (after === 0) imp.counts = await this.imports.storeCounts(importId);
    const rows = await this.imports.pending(importId, after, COMMIT_BATCH);
    if (!rows.length) {
      await completeImport(this.imports, this.audit, this.outbox, imp);
      return null;
    }
    const context = {
      categories: await this.lookups.categories(),
      collections: await this.lookups.collections(),
    };
    const strategy = imp.on_duplicate ?? 'skip';
    const settled: Array<Outcome & { row: number }> = [];
    const bulk: Array<{ r: ImportRecordRow; action: 'create' | 'rename'; dto: CreatePromptDto }> = [];
    let oneByOne: ImportRecordRow[] = [];
    const reserved = new Set<string>();
    for (const r of rows) {
      const record = r.data;
      if (!record || (r.duplicate && strategy === 'skip')) {
        settled.push({ row: r.row, ...skipped(r) });
        continue;
      }
      if (
        record.versions.length ||
        Object.keys(record.labels).length ||
        (r.duplicate && strategy === 'new_version')
      ) {
        oneByOne.push(r);
        continue;
      }
      const action = r.duplicate ? 'rename' : 'create';
      try {
        const slug =
          action === 'rename' ? await this.freeSlug(imp.organization_id, record.slug, reserved) : null;
        bulk.push({
          r,
          action,
          dto: await this.createDto(
            caller,
            imp,
            slug ? { ...record, slug, explicitSlug: true } : record,
            record,
            context,
          ),
        });
      } catch (err) {
        if (err instanceof JobCallerGone) throw err;
        settled.push({
          row: r.row,
          outcome: 'failed',
          action: r.action,
          promptId: null,
          detail: describe(err),
        });
      }
    }

    if (bulk.length) {
      try {
        const results = await this.promptRows.inSavepoint('import_bulk', () =>
          this.creation.createMany(
            caller,
            bulk.map((b) => b.dto),
          ),
        );
        results.forEach((result, i) => {
          const { r, action } = bulk[i];
          settled.push(
            'id' in result
              ? {
                  row: r.row,
                  outcome: 'created',
                  action,
                  promptId: result.id,
                  detail: action === 'rename' ? `renamed to ${result.slug}` : null,
                }
              : {
                  row: r.row,
                  outcome: 'failed',
                  action: r.action,
                  promptId: null,
                  detail: describe(result.error),
                },
          );
        });
      } catch (err) {
        if (err instanceof JobCallerGone) throw err;
        this.logger.warn(
          { importId, message: describe(err) },
          'bulk creation failed; applying the batch row by row',
        );
        oneByOne = [...oneByOne, ...bulk.map((b) => b.r)].sort((a, b) => a.row - b.row);
      }
    }
    // Before the rows one by one: a new version may go to a prompt this batch just created.
    await this.imports.setOutcomes(importId, settled);

    for (const r of oneByOne) {
      let result: Outcome;
      try {
        result = await this.promptRows.inSavepoint('import_row', () =>
          this.applyRow(caller, imp, r, context),
        );
      } catch (err) {
        if (err instanceof JobCallerGone) throw err;
        result = { outcome: 'failed', action: r.action, promptId: null, detail: describe(err) };
      }
      await this.imports.setOutcome(
        importId,
        r.row,
        result.outcome,
        result.action,
        result.promptId,
        result.detail,
      );
    }
    await this.imports.touch(importId);
    return rows[rows.length - 1].row;
  }

  /**
   * What creates a record's prompt (its first version: `first`), its category and collection
   * found by name (created when missing, in a savepoint: a refusal must not abort the batch).
   */
  private async createDto(
    caller: Caller,
    imp: ImportRow,
    record: ImportRecord,
    first: ImportVersion | ImportRecord,
    context: { categories: Map<string, string>; collections: Map<string, string> },
  ): Promise<CreatePromptDto> {
    const lookup = (
      name: string | null,
      known: Map<string, string>,
      make: (name: string) => Promise<string | null>,
    ): Promise<string | null> | string | null => {
      if (!name) return null;
      return (
        known.get(name.toLowerCase()) ?? this.promptRows.inSavepoint('import_taxonomy', () => make(name))
      );
    };
    return {
      ...versionFields(first),
      slug: record.explicitSlug ? record.slug : undefined,
      tags: tagsOf(record, imp),
      categoryId:
        (await lookup(record.category, context.categories, (n) =>
          this.categoryId(caller, n, context.categories),
        )) ?? undefined,
      collectionId:
        imp.collection_id ??
        (await lookup(record.collection, context.collections, (n) =>
          this.collectionId(caller, n, context.collections),
        )) ??
        undefined,
      status: record.status,
      visibility: record.visibility,
      changeNote: ('changeNote' in first ? first.changeNote : null) ?? `Imported from ${imp.filename}`,
    };
  }

  private async applyRow(
    caller: Caller,
    imp: ImportRow,
    r: ImportRecordRow,
    context: { categories: Map<string, string>; collections: Map<string, string> },
  ): Promise<Outcome> {
    const record = r.data;
    const strategy = imp.on_duplicate ?? 'skip';
    if (!record || (r.duplicate && strategy === 'skip')) return skipped(r);
    if (r.duplicate) {
      if (strategy === 'new_version') {
        const target =
          r.existing_prompt_id ?? (await this.imports.promptOfEarlierRow(imp.id, record.slug, r.row));
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
    context: { categories: Map<string, string>; collections: Map<string, string> },
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
  private async freeSlug(organizationId: string, slug: string, reserved?: Set<string>): Promise<string> {
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
