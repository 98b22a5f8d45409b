import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AuditService } from './audit.service';
import {
  AuditEventPageDto,
  AuditEventResponseDto,
  AuditVerifyResponseDto,
} from './dto/audit-event.response.dto';
import { AuditExportQueryDto, AuditListQueryDto } from './dto/audit-query.dto';

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorType',
  'actorId',
  'actorEmail',
  'action',
  'targetType',
  'targetId',
  'ip',
  'userAgent',
  'requestId',
  'changes',
  'prevHash',
  'hash',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : `${value as string | number | boolean}`;
  // Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

@ApiTags('audit')
@TenantScoped()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The organization's audit trail, newest first (OWNER, ADMIN). */
  @Get()
  @CheckPolicies((a) => a.can('read', 'AuditEvent'))
  @ApiProblems(400, 401, 403, 404)
  async list(@CurrentCaller() caller: Caller, @Query() q: AuditListQueryDto): Promise<AuditEventPageDto> {
    const page = await this.audit.list(caller.organizationId, caller.userId, q, q.limit, q.cursor);
    return { items: page.items.map(AuditEventResponseDto.from), nextCursor: page.nextCursor };
  }

  /** Recomputes the hash chain and reports the first broken link, if any (OWNER, ADMIN). */
  @Get('verify')
  @CheckPolicies((a) => a.can('read', 'AuditEvent'))
  @ApiProblems(401, 403, 404)
  verify(@CurrentCaller() caller: Caller): Promise<AuditVerifyResponseDto> {
    return this.audit.verify(caller.organizationId);
  }

  /** Streams matching events oldest first as CSV or JSON Lines (OWNER, ADMIN). The export is audited. */
  @Get('export')
  @CheckPolicies((a) => a.can('export', 'AuditEvent'))
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'A file download' })
  @ApiProblems(400, 401, 403, 404)
  async export(
    @CurrentCaller() caller: Caller,
    @Query() q: AuditExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { format, ...filter } = q;
    await this.audit.record({
      action: 'audit.exported',
      target: { type: 'audit_log', id: null },
      changes: { format, filter },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    res.setHeader(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    );
    res.setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.${format}"`);
    if (format === 'csv') res.write(`${CSV_COLUMNS.join(',')}\r\n`);
    for await (const batch of this.audit.iterate(caller.organizationId, caller.userId, filter)) {
      const chunk = batch
        .map((e) =>
          format === 'csv'
            ? `${CSV_COLUMNS.map((c) => csvCell(c === 'occurredAt' ? e.occurredAt.toISOString() : e[c])).join(',')}\r\n`
            : `${JSON.stringify(AuditEventResponseDto.from(e))}\n`,
        )
        .join('');
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
