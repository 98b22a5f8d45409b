import { Injectable, Logger } from '@nestjs/common';
import { can } from '../../authz/require-access';
import { AppConfig } from '../../config/app-config';
import type { Caller } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { normalizeRecord } from './formats/import-record';
import { ImportFileError, readRecords } from './formats/import-readers';
import { ImportRowsRepository, NewImportRecordRow } from './import-rows.repository';
import { ImportRow, ImportsRepository } from './imports.repository';
import { failImport } from './import-shared';
import { JobCallerGone, JobCallers } from './job-caller';
import { TransferBlobs } from './transfer-blobs.repository';
import { TransferLookups } from './transfer-lookups.repository';

/** Rows written per INSERT batch while validating. */
const VALIDATE_BATCH = 500;
/** Variable names the preview lists at most. */
const MAX_VARIABLES = 500;

/**
 * The validation job of an import: reads the stored file once, streaming, and writes one
 * `import_rows` row per record (in the job's one transaction: a killed validation leaves nothing
 * and starts over), then marks duplicates and makes the import `ready`. Runs as the member who
 * uploaded the file, whose upload is deleted once it is `ready` or `failed`. A file of more than `IMPORT_MAX_ROWS` records fails at the first one over,
 * with nothing kept.
 */
@Injectable()
export class ImportValidation {
  private readonly logger = new Logger(ImportValidation.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly importRows: ImportRowsRepository,
    private readonly blobs: TransferBlobs,
    private readonly lookups: TransferLookups,
    private readonly callers: JobCallers,
    private readonly transactions: TenantTransactions,
    private readonly config: AppConfig,
  ) {}

  async validate(organizationId: string, importId: string, createdBy: string | null): Promise<void> {
    try {
      await this.callers.run(organizationId, createdBy, async (caller) => {
        const imp = await this.imports.find(importId, true);
        if (!imp || imp.status !== 'validating') return;
        await this.importRows.clear(importId);
        try {
          await this.readFile(caller, imp);
        } catch (err) {
          if (!(err instanceof ImportFileError)) throw err;
          await this.importRows.clear(importId);
          await this.imports.update(importId, { status: 'failed', error: err.message });
        }
        await this.imports.dropFile(importId);
      });
    } catch (err) {
      if (!(err instanceof JobCallerGone)) throw err;
      await failImport(this.transactions, this.imports, this.logger, organizationId, importId, err.message);
    }
  }

  private async readFile(caller: Caller, imp: ImportRow): Promise<void> {
    const categories = await this.lookups.categories();
    const mayCreateCategory = can(caller, 'create', 'Category');
    const variables = new Set<string>();
    const maxRows = this.config.transfer.importMaxRows;
    // One INSERT of rows in flight while the next batch is read and normalized (the connection
    // runs the statements in order): the database's work and the API's overlap.
    let writing: Promise<void> = Promise.resolve();
    let writeFailure: { error: unknown } | null = null;
    const write = async (rows: NewImportRecordRow[]) => {
      await writing;
      if (writeFailure) throw writeFailure.error;
      writing = this.importRows.insert(imp.organization_id, imp.id, rows).catch((error: unknown) => {
        writeFailure = { error };
      });
    };
    let batch: NewImportRecordRow[] = [];
    let row = 0;
    try {
      if (!imp.blob_id) throw new ImportFileError('The uploaded file is no longer kept; upload it again');
      for await (const raw of readRecords(imp.format, this.blobs.chunks(imp.blob_id), imp.filename)) {
        if (++row > maxRows) {
          const most = maxRows.toLocaleString('en-US');
          throw new ImportFileError(
            `The file holds more than ${most} prompts, the most one import takes (IMPORT_MAX_ROWS); split it into files of at most ${most}`,
          );
        }
        const normalized = raw.fields
          ? await normalizeRecord(raw.fields)
          : { slug: null, title: null, record: null, errors: [], variables: [] };
        const errors = [...raw.errors, ...normalized.errors];
        const category = normalized.record?.category;
        if (category && !categories.has(category.toLowerCase()) && !mayCreateCategory)
          errors.push({
            field: 'category',
            message: `no category "${category}" in this organization, and only OWNER and ADMIN create categories`,
          });
        for (const name of normalized.variables) if (variables.size < MAX_VARIABLES) variables.add(name);
        batch.push({
          row,
          source: raw.source,
          slug: normalized.slug,
          title: normalized.title,
          action: errors.length ? 'skip' : 'create',
          errors,
          data: errors.length ? null : normalized.record,
        });
        if (batch.length >= VALIDATE_BATCH) {
          await write(batch);
          batch = [];
        }
      }
      await write(batch);
      await writing;
    } catch (err) {
      // A failed INSERT aborted the transaction: its error is the one to report, not that of a
      // statement queued behind it (a chunk read) nor a file error found meanwhile.
      await writing;
      throw writeFailure ? (writeFailure as { error: unknown }).error : err;
    }
    if (writeFailure) throw (writeFailure as { error: unknown }).error;
    if (row === 0) throw new ImportFileError('The file holds no prompts');
    await this.importRows.markDuplicates(imp.id, imp.organization_id);
    await this.imports.storeCounts(imp.id);
    await this.imports.update(imp.id, { status: 'ready', variables: [...variables].sort() });
  }
}
