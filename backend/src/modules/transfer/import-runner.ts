import { Injectable, Logger } from '@nestjs/common';
import { can } from '../../authz/require-access';
import { AppConfig } from '../../config/app-config';
import type { Caller } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobSlots } from '../../queue/job-slots';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../outbox/outbox.service';
import { PromptsRepository } from '../prompts/prompts.repository';
import { CreatePromptDto } from '../prompts/dto/prompt.dto';
import { PromptCreationService } from '../prompts/prompt-creation.service';
import { ImportRecordRow, ImportRowsRepository } from './import-rows.repository';
import { ImportsRepository } from './imports.repository';
import { completeImport, describe, failImport, Outcome, skipped } from './import-shared';
import { ImportRowWriter } from './import-row-writer';
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
 * audit events and outbox rows; what one record writes is ImportRowWriter's) in batches of
 * COMMIT_BATCH rows, each batch a transaction that also records each row's outcome: a killed
 * commit resumes at the first row without one, and a row is never imported twice. Both run as the
 * member who uploaded the file.
 *
 * When every pending row is a plain creation (no duplicate, no history, no labels), the batches
 * run in up to IMPORT_COMMIT_LANES parallel transactions ("lanes"; a lane beyond the first only
 * when a job slot is free for it): each claims its rows with
 * `FOR UPDATE SKIP LOCKED` and holds the import row with `FOR KEY SHARE`, so lanes exclude each
 * other's rows but not each other, and exclude the serial batches and the completion, which take
 * the import row `FOR UPDATE`. After the lanes, the serial loop picks up any row a lane left (a
 * batch that rolled back) and completes the import, once. Rows of one lane's batch reach the
 * audit trail in one piece; batches may reach it out of file order.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly importRows: ImportRowsRepository,
    private readonly lookups: TransferLookups,
    private readonly callers: JobCallers,
    private readonly transactions: TenantTransactions,
    private readonly creation: PromptCreationService,
    private readonly validation: ImportValidation,
    private readonly writer: ImportRowWriter,
    private readonly promptRows: PromptsRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly slots: JobSlots,
  ) {}

  /** The validation job (ImportValidation). */
  validate(organizationId: string, importId: string, createdBy: string | null): Promise<void> {
    return this.validation.validate(organizationId, importId, createdBy);
  }

  // ------------------------------------------------------------------ commit

  /** Commits batch after batch until no row is left, then completes the import once. */
  async commit(organizationId: string, importId: string, createdBy: string | null): Promise<void> {
    try {
      // PGlite is one session: its transactions run one after the other anyway.
      const lanes = this.config.databaseDriver === 'postgres' ? this.config.transfer.importCommitLanes : 1;
      if (
        lanes > 1 &&
        (await this.callers.run(organizationId, createdBy, () =>
          this.importRows.onlyPlainCreations(importId),
        ))
      ) {
        // The first lane runs in this job's slot; each other one only in a slot free now (JobSlots),
        // so the lanes never take the connections JOB_CONCURRENCY leaves to requests.
        const running = [this.batches(organizationId, importId, createdBy, true)];
        for (let i = 1; i < lanes; i++) {
          const extra = this.slots.runIfFree(() => this.batches(organizationId, importId, createdBy, true));
          if (extra) running.push(extra);
        }
        const ended = await Promise.allSettled(running);
        const failure = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
        if (failure) throw failure.reason;
      }
      await this.batches(organizationId, importId, createdBy, false);
    } catch (err) {
      if (!(err instanceof JobCallerGone)) throw err;
      await failImport(this.transactions, this.imports, this.logger, organizationId, importId, err.message);
    }
  }

  /**
   * Batch after batch, each after the previous one's last row, until `commitBatch` answers null:
   * serially, or as one lane (`lane`: claimed batches, until none is left to claim).
   */
  private async batches(
    organizationId: string,
    importId: string,
    createdBy: string | null,
    lane: boolean,
  ): Promise<void> {
    // Every row up to `after` has its outcome or is another lane's (this loop's previous batches).
    let after = 0;
    for (;;) {
      const more = await this.callers.run(organizationId, createdBy, (caller) =>
        this.commitBatch(caller, importId, after, lane),
      );
      if (more === null) return;
      after = more;
    }
  }

  /**
   * One batch (the pending rows after row `after`) in the current transaction; answers the last row
   * it handled, or null once the import is complete (or not importing). A lane's batch (`lane`)
   * claims its rows and passes over those other lanes hold; it answers null when none is left,
   * without completing the import (the serial loop after the lanes does).
   * Rows that need no write (invalid, skipped duplicates) are settled at once; plain creations
   * (and renamed duplicates) go to PromptsService.createMany together; rows with a version history
   * or labels, and new versions of existing prompts, are applied one by one. Should the multi-row
   * creation fail as a whole (a database error), it is rolled back and its rows are applied one by
   * one, each in its own savepoint, so one bad row never loses the batch.
   */
  private async commitBatch(
    caller: Caller,
    importId: string,
    after = 0,
    lane = false,
  ): Promise<number | null> {
    // The lock serializes jobs of one import (a resumed one and a slow original): no row twice.
    // Lanes share it among themselves; their row claims keep them apart.
    const imp = await this.imports.find(importId, lane ? 'lane' : true);
    if (!imp || imp.status !== 'importing') return null;
    if (!can(caller, 'create', 'Prompt'))
      throw new JobCallerGone('The member who started this import may no longer create prompts');
    // A job's first serial batch counts the rows again: the counts then follow this job's outcomes.
    if (after === 0 && !lane) imp.counts = await this.imports.storeCounts(importId);
    const rows = lane
      ? await this.importRows.claim(importId, after, COMMIT_BATCH)
      : await this.importRows.pending(importId, after, COMMIT_BATCH);
    if (!rows.length) {
      if (!lane) await completeImport(this.imports, this.audit, this.outbox, imp);
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
          action === 'rename' ? await this.writer.freeSlug(imp.organization_id, record.slug, reserved) : null;
        bulk.push({
          r,
          action,
          dto: await this.writer.createDto(
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

    // The organization's prompts this batch gives new versions, before its first write (which takes
    // the audit chain lock): PromptsRepository.lockVisibleMany.
    await this.promptRows.lockVisibleMany(
      caller,
      oneByOne.flatMap((r) => (r.existing_prompt_id ? [r.existing_prompt_id] : [])),
    );
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
    await this.importRows.setOutcomes(importId, settled);

    for (const r of oneByOne) {
      let result: Outcome;
      try {
        result = await this.promptRows.inSavepoint('import_row', () =>
          this.writer.applyRow(caller, imp, r, context),
        );
      } catch (err) {
        if (err instanceof JobCallerGone) throw err;
        result = { outcome: 'failed', action: r.action, promptId: null, detail: describe(err) };
      }
      await this.importRows.setOutcome(
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
}
