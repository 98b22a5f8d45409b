import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';
import { AuditService } from '../audit/audit.service';
import { normalizeFilters, SavedFilters, toEngineFilters } from '../search/search-filters';
import { CreateExportDto } from './dto/transfer.dto';
import { ExportResponseDto } from './dto/transfer.response.dto';
import { ExportRow, ExportSelection, ExportsRepository } from './exports.repository';
import { TransferException } from './transfer.errors';
import { TransferBlobs } from './transfer-blobs.repository';

type ListCursor = { t: string; id: string };
const isListCursor = (v: unknown): v is ListCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ListCursor).t === 'string' &&
  !Number.isNaN(Date.parse((v as ListCursor).t)) &&
  /^[0-9a-f-]{36}$/i.test(String((v as ListCursor).id));

const expired = (row: ExportRow, now = new Date()) =>
  row.status === 'done' && (!row.blob_id || (row.expires_at !== null && row.expires_at <= now));

/**
 * The search filters of an export, as a saved search keeps them (only those set; the sort is left
 * out, an export is ordered by id). An empty date range is refused now rather than by the job.
 */
function searchFilters(dto: CreateExportDto): SavedFilters | undefined {
  if (!dto.filters) return undefined;
  const rest = normalizeFilters({ ...dto.filters, sort: undefined });
  if (!Object.keys(rest).length) return undefined;
  toEngineFilters(rest);
  return rest;
}

export function toExportDto(row: ExportRow): ExportResponseDto {
  const dto: ExportResponseDto = {
    id: row.id,
    status: row.status,
    format: row.format,
    count: row.count,
    createdAt: row.created_at.toISOString(),
  };
  if (row.status === 'done') {
    if (!expired(row)) dto.downloadUrl = `/api/v1/exports/${row.id}/download`;
    if (row.expires_at) dto.expiresAt = row.expires_at.toISOString();
    if (row.filename) dto.filename = row.filename;
    if (row.size_bytes !== null) dto.sizeBytes = Number(row.size_bytes);
  }
  if (row.completed_at) dto.completedAt = row.completed_at.toISOString();
  if (row.error) dto.error = row.error;
  return dto;
}

/**
 * Exports as the API offers them: the request (a queued job, ExportRunner), its status, the
 * requester's list and the streamed download until it expires. An export shows what its
 * requester could see, so it is visible to the requester only.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly exportsRepo: ExportsRepository,
    private readonly blobs: TransferBlobs,
    private readonly transactions: TenantTransactions,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
  ) {}

  async create(caller: Caller, dto: CreateExportDto): Promise<ExportResponseDto> {
    const given = (['ids', 'collectionId', 'query', 'filters'] as const).filter((k) => dto[k] !== undefined);
    const scopes = new Set(given.map((k) => (k === 'filters' ? 'query' : k)));
    if (scopes.size > 1)
      throw new AppException('validation_failed', 'Give at most one of ids, collectionId and a search', {
        errors: given.map((field) => ({
          field,
          message: 'give at most one of ids, collectionId and a search (query and/or filters)',
        })),
      });
    if (dto.includeVersions !== undefined && dto.format !== 'json')
      throw new AppException('validation_failed', 'includeVersions applies to the JSON format only', {
        errors: [{ field: 'includeVersions', message: 'only the json format holds versions' }],
      });
    if (dto.collectionId && !(await this.exportsRepo.collectionExists(dto.collectionId)))
      throw new AppException('validation_failed', 'No such collection in this organization', {
        errors: [{ field: 'collectionId', message: 'no such collection in this organization' }],
      });
    const filters = searchFilters(dto);
    const selection: ExportSelection = dto.ids
      ? { kind: 'ids', ids: [...new Set(dto.ids.map((id) => id.toLowerCase()))] }
      : dto.collectionId
        ? { kind: 'collection', collectionId: dto.collectionId }
        : dto.query || filters
          ? { kind: 'query', query: dto.query ?? '', ...(filters ? { filters } : {}) }
          : { kind: 'all' };
    const row = await this.exportsRepo.insert({
      organizationId: caller.organizationId,
      createdBy: caller.userId,
      format: dto.format,
      selection,
      includeVersions: dto.format === 'json' && dto.includeVersions !== false,
    });
    await this.audit.record({
      action: 'export.requested',
      target: { type: 'export', id: row.id },
      changes: {
        format: dto.format,
        selection: selection.kind === 'ids' ? { kind: 'ids', count: selection.ids.length } : selection,
      },
    });
    this.transactions.afterCommit(() =>
      this.queue.add(QueueName.Transfer, 'run-export', {
        organizationId: row.organization_id,
        exportId: row.id,
        userId: caller.userId,
      }),
    );
    return toExportDto(row);
  }

  async get(caller: Caller, id: string): Promise<ExportResponseDto> {
    return toExportDto(await this.load(caller, id));
  }

  async list(caller: Caller, limit: number, cursor?: string): Promise<Page<ExportResponseDto>> {
    const after = cursor ? decodeCursor(cursor, isListCursor) : undefined;
    const rows = await this.exportsRepo.list(caller.userId, after, limit);
    return toPage(rows, limit, (r) => ({ t: r.created_at.toISOString(), id: r.id }), toExportDto);
  }

  /** Streams the file chunk by chunk; 409 before it is made, 410 once it expired. */
  async download(caller: Caller, id: string, res: Response): Promise<void> {
    const row = await this.load(caller, id);
    if (row.status !== 'done')
      throw new TransferException(
        'export_not_ready',
        row.status === 'failed' ? `The export failed: ${row.error ?? ''}` : 'The export is still being made',
      );
    if (expired(row) || !row.blob_id)
      throw new TransferException('export_expired', 'The download link has expired; request a new export');
    res.setHeader('Content-Type', row.content_type ?? 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${row.filename ?? 'prompts'}"`);
    if (row.size_bytes !== null) res.setHeader('Content-Length', String(row.size_bytes));
    for await (const chunk of this.blobs.chunks(row.blob_id)) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  /** The export, if the caller requested it (it holds what they could see, private prompts included). */
  private async load(caller: Caller, id: string): Promise<ExportRow> {
    const row = await this.exportsRepo.find(id);
    if (!row || row.created_by !== caller.userId) throw notFound('Export');
    return row;
  }
}
