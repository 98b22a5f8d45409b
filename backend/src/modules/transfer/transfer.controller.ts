import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CommitImportDto, CreateExportDto, ListExportsQueryDto, UploadImportDto } from './dto/transfer.dto';
import {
  ExportPageDto,
  ExportResponseDto,
  ImportAcceptedDto,
  ImportResponseDto,
} from './dto/transfer.response.dto';
import { ExportsService } from './exports.service';
import { ImportsService } from './imports.service';
import './transfer.errors';

/**
 * Bulk import (OWNER, ADMIN, EDITOR): upload → validation preview → commit as a queued job.
 * Formats, limits and duplicate strategies: docs/import-export.md.
 */
@ApiTags('imports')
@TenantScoped()
@CheckPolicies((a) => a.can('create', 'Prompt'))
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  /**
   * Uploads a file (multipart field `file`, optional `format`, else told from the file name) and
   * queues its validation. Over `IMPORT_MAX_BYTES` → 413. Poll `GET /imports/:id` for the preview;
   * a file of more than `IMPORT_MAX_ROWS` records ends `failed`, with the reason in `error`.
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadImportDto })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  upload(@CurrentCaller() caller: Caller, @Req() req: Request): Promise<ImportAcceptedDto> {
    return this.imports.upload(caller, req);
  }

  /**
   * The import's status, counts, preview (rows with errors and duplicates first), progress, the
   * variables found and how many prompts the plan still allows. Visible to its uploader and to
   * OWNER/ADMIN.
   */
  @Get(':id')
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<ImportResponseDto> {
    return this.imports.get(caller, id);
  }

  /**
   * Queues the import of the valid rows (202); rows with errors are skipped, duplicates follow
   * `onDuplicate`. Repeating the same commit changes nothing; more prompts than the plan allows →
   * 403 `plan_limit_reached`.
   */
  @Post(':id/commit')
  @HttpCode(202)
  @ApiProblems(400, 401, 403, 404, 'plan_limit_reached', 'import_not_ready', 'import_already_committed')
  commit(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: CommitImportDto,
  ): Promise<ImportAcceptedDto> {
    return this.imports.commit(caller, id, dto);
  }

  /** The problems as CSV: `row,source,slug,title,field,message`, one line per error. */
  @Get(':id/errors')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'A CSV download' })
  @ApiProblems(400, 401, 403, 404)
  async errors(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.imports.writeErrors(caller, id, res);
  }
}

/**
 * Bulk export: OWNER and ADMIN always; EDITOR and VIEWER while the organization's
 * `membersMayExport` setting allows it. Exports hold what the requester can see (never other
 * members' private prompts) and are visible to the requester only.
 */
@ApiTags('exports')
@TenantScoped()
@CheckPolicies((a) => a.can('export', 'Data'))
@Controller('exports')
export class ExportsController {
  constructor(private readonly exportsService: ExportsService) {}

  /** Queues an export (202) of `ids`, a collection, a search `query`, or everything you can see. */
  @Post()
  @HttpCode(202)
  @ApiProblems(400, 401, 403, 404)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateExportDto): Promise<ExportResponseDto> {
    return this.exportsService.create(caller, dto);
  }

  /** Your exports, newest first. */
  @Get()
  @ApiProblems(400, 401, 403, 404)
  list(@CurrentCaller() caller: Caller, @Query() q: ListExportsQueryDto): Promise<ExportPageDto> {
    return this.exportsService.list(caller, q.limit, q.cursor);
  }

  /** Status, count, and once done the `downloadUrl` with its `expiresAt`. */
  @Get(':id')
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<ExportResponseDto> {
    return this.exportsService.get(caller, id);
  }

  /** The file, streamed. 409 `export_not_ready` before it is made; 410 `export_expired` after its expiry. */
  @Get(':id/download')
  @ApiProduces('application/json', 'text/csv', 'application/zip')
  @ApiOkResponse({ description: 'The export file' })
  @ApiProblems(400, 401, 403, 404, 'export_not_ready', 'export_expired')
  async download(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.exportsService.download(caller, id, res);
  }
}
