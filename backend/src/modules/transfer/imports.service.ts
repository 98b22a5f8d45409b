import { Injectable } from '@nestjs/common';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { can } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException, FieldError, notFound } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';
import { csvCell } from '../audit/audit-export';
import { PlanLimitsService } from '../billing/plan-limits.service';
import { PromptsRepository } from '../prompts/prompts.repository';
import { CommitImportDto } from './dto/transfer.dto';
import {
  ImportAcceptedDto,
  ImportPlanLimitDto,
  ImportPreviewRowDto,
  ImportResponseDto,
} from './dto/transfer.response.dto';
import { detectFormat, IMPORT_FORMATS, ImportFormat } from './formats/import-readers';
import { ImportRecordRow, ImportRowsRepository } from './import-rows.repository';
import { ImportRow, ImportsRepository } from './imports.repository';
import { TransferException } from './transfer.errors';
import { TransferBlobs } from './transfer-blobs.repository';

/** Rows the preview shows at most. */
export const PREVIEW_ROWS = 200;
const ERROR_PAGE = 1000;

const invalid = (errors: FieldError[]) =>
  new AppException('validation_failed', errors[0].message, { errors });
const tooLarge = (max: number) =>
  new AppException('payload_too_large', `The file is larger than ${max} bytes (IMPORT_MAX_BYTES)`);

const previewRow = (r: Omit<ImportRecordRow, 'data'>): ImportPreviewRowDto => ({
  row: r.row,
  source: r.source,
  slug: r.slug,
  title: r.title,
  action: r.action,
  duplicate: r.duplicate,
  errors: r.errors,
  outcome: r.outcome,
  detail: r.outcome_detail,
  promptId: r.prompt_id,
});

/**
 * Imports as the API offers them: the upload (streamed into the database, so the worker that
 * validates may be another process), the preview, the commit and the error file. The parsing and
 * the creation of prompts happen in jobs (ImportRunner).
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly importRows: ImportRowsRepository,
    private readonly blobs: TransferBlobs,
    private readonly transactions: TenantTransactions,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
    private readonly planLimits: PlanLimitsService,
    private readonly promptRows: PromptsRepository,
  ) {}

  /** Reads the multipart body as it arrives; the file's bytes go to the blob store in 1 MiB chunks. */
  async upload(caller: Caller, req: Request): Promise<ImportAcceptedDto> {
    const max = this.config.transfer.importMaxBytes;
    if (Number(req.headers['content-length'] ?? 0) > max + 64 * 1024) throw tooLarge(max);
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
      throw new AppException(
        'unsupported_media_type',
        'Send the file as multipart/form-data with a `file` field',
      );

    const blob = this.blobs.writer(caller.organizationId);
    const fields: Record<string, string> = {};
    let filename: string | null = null;
    let truncated = false;
    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          limits: { files: 1, fields: 10, fieldSize: 1024, fileSize: max },
        });
      } catch (err) {
        return reject(
          new AppException('bad_request', `The multipart body cannot be read: ${(err as Error).message}`),
        );
      }
      let stored: Promise<void> = Promise.resolve();
      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || filename !== null) {
          stream.resume();
          return;
        }
        filename = (info.filename || 'upload').slice(0, 500);
        stream.on('limit', () => (truncated = true));
        stored = pipeline(stream, blob.stream);
        stored.catch(() => undefined);
      });
      parser.on('field', (name, value) => (fields[name] = value));
      parser.on('close', () => {
        stored.then(resolve, reject);
      });
      parser.on('error', (err: Error) =>
        reject(new AppException('bad_request', `The multipart body cannot be read: ${err.message}`)),
      );
      req.pipe(parser);
    });
    if (truncated) throw tooLarge(max);
    if (filename === null)
      throw invalid([{ field: 'file', message: 'file is required (a multipart file field named file)' }]);
    if (blob.size() === 0) throw invalid([{ field: 'file', message: 'the file is empty' }]);
    const given = fields.format;
    if (given !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(given))
      throw invalid([{ field: 'format', message: `format must be one of: ${IMPORT_FORMATS.join(', ')}` }]);
    const format = (given as ImportFormat | undefined) ?? detectFormat(filename);
    if (!format)
      throw invalid([
        {
          field: 'format',
          message: 'the format cannot be told from the file name; send format (csv, json, markdown or zip)',
        },
      ]);

    const row = await this.imports.insert({
      organizationId: caller.organizationId,
      createdBy: caller.userId,
      filename,
      format,
      sizeBytes: blob.size(),
      blobId: blob.id,
    });
    this.transactions.afterCommit(() => this.enqueue('validate-import', row));
    return { id: row.id, status: row.status };
  }

  async get(caller: Caller, id: string): Promise<ImportResponseDto> {
    const imp = await this.load(caller, id);
    const counts = await this.imports.counts(imp);
    const preview = imp.status === 'validating' ? [] : await this.importRows.preview(id, PREVIEW_ROWS);
    const planLimit = imp.status === 'ready' ? await this.planLimit(imp) : null;
    return {
      id: imp.id,
      status: imp.status,
      format: imp.format,
      filename: imp.filename,
      sizeBytes: Number(imp.size_bytes),
      error: imp.error,
      counts: {
        total: counts.total,
        valid: counts.valid,
        invalid: counts.invalid,
        duplicates: counts.duplicates,
        created: counts.created,
        updated: counts.updated,
        skipped: counts.skipped,
        failed: counts.failed,
      },
      preview: preview.map(previewRow),
      progress: {
        done: counts.created + counts.updated + counts.skipped + counts.failed,
        total: counts.total,
      },
      variables: imp.variables,
      planLimit,
      onDuplicate: imp.on_duplicate,
      collectionId: imp.collection_id,
      tags: imp.tags,
      createdAt: imp.created_at.toISOString(),
      completedAt: imp.completed_at?.toISOString() ?? null,
    };
  }
  /**
   * How much of a ready import the plan has room for. Only a ready import has the question: the
   * count reads every prompt of the organization, and an import being committed is polled for its
   * progress several times a second while it adds thousands of prompts.
   */
  private async planLimit(imp: ImportRow): Promise<ImportPlanLimitDto> {
    const { max, current } = await this.planLimits.promptUsage(imp.organization_id);
    const wouldCreate = await this.importRows.creations(imp.id, 'skip');
    return { max, current, remaining: max === null ? null : Math.max(0, max - current), wouldCreate };
  }

  /**
   * Queues the commit (202). Committing again with the same options answers the same and queues
   * nothing twice; other options once committed → 409. Beyond the plan's prompt limit → 403.
   */
  async commit(caller: Caller, id: string, dto: CommitImportDto): Promise<ImportAcceptedDto> {
    const imp = await this.load(caller, id, true);
    const tags = dto.tags?.length ? dto.tags : null;
    if (imp.status === 'importing' || imp.status === 'done') {
      const same =
        imp.on_duplicate === dto.onDuplicate &&
        imp.collection_id === (dto.collectionId ?? null) &&
        JSON.stringify(imp.tags ?? null) === JSON.stringify(tags);
      if (!same)
        throw new TransferException(
          'import_already_committed',
          'This import was already committed with other options',
        );
      return { id: imp.id, status: imp.status };
    }
    if (imp.status !== 'ready')
      throw new TransferException(
        'import_not_ready',
        imp.status === 'failed'
          ? `The file was refused: ${imp.error ?? 'see the import'}`
          : 'The file is still being validated',
      );
    if (dto.collectionId && !(await this.promptRows.collectionExists(imp.organization_id, dto.collectionId)))
      throw invalid([{ field: 'collectionId', message: 'no such collection in this organization' }]);
    const creating = await this.importRows.creations(id, dto.onDuplicate);
    if (creating > 0)
      await this.planLimits.assertCanCreate('prompts', imp.organization_id, { adding: creating });
    await this.imports.update(id, {
      status: 'importing',
      on_duplicate: dto.onDuplicate,
      collection_id: dto.collectionId ?? null,
      tags,
      committed_at: new Date(),
    });
    this.transactions.afterCommit(() => this.enqueue('commit-import', imp));
    return { id: imp.id, status: 'importing' };
  }

  /** Every problem row as CSV: `row,source,slug,title,field,message` (one line per error). */
  async writeErrors(caller: Caller, id: string, res: Response): Promise<void> {
    const imp = await this.load(caller, id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="import-${imp.id.slice(0, 8)}-errors.csv"`);
    const write = async (chunk: string) => {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    };
    const line = (r: ImportRecordRow, field: string, message: string) =>
      `${[r.row, r.source, r.slug, r.title, field, message].map(csvCell).join(',')}\r\n`;
    await write('row,source,slug,title,field,message\r\n');
    if (imp.error) await write(`${['', '', '', '', 'file', imp.error].map(csvCell).join(',')}\r\n`);
    let after = 0;
    for (;;) {
      const rows = await this.importRows.problems(id, after, ERROR_PAGE);
      if (!rows.length) break;
      let chunk = '';
      for (const r of rows) {
        for (const e of r.errors) chunk += line(r, e.field, e.message);
        if (r.outcome === 'failed') chunk += line(r, 'row', r.outcome_detail ?? 'failed');
        else if (r.duplicate && r.data && !r.outcome)
          chunk += line(
            r,
            'slug',
            r.duplicate === 'file' ? 'duplicate of an earlier row' : 'a prompt with this slug exists',
          );
        else if (r.duplicate && r.outcome === 'skipped')
          chunk += line(r, 'slug', r.outcome_detail ?? 'duplicate, skipped');
      }
      await write(chunk);
      after = rows[rows.length - 1].row;
    }
    res.end();
  }

  /** The import, if the caller may see it: its uploader, or an OWNER/ADMIN. */
  private async load(caller: Caller, id: string, lock = false): Promise<ImportRow> {
    const imp = await this.imports.find(id, lock);
    if (!imp || !can(caller, 'update', { __type: 'Prompt', authorId: imp.created_by }))
      throw notFound('Import');
    return imp;
  }

  private enqueue(name: 'validate-import' | 'commit-import', imp: ImportRow): Promise<void> {
    return this.queue.add(QueueName.Transfer, name, {
      organizationId: imp.organization_id,
      importId: imp.id,
      userId: imp.created_by,
    });
  }
}
