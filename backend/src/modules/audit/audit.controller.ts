import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { csvRow, CSV_COLUMNS, ManifestBuilder } from './audit-export';
import { AuditIntegrity } from './audit-integrity';
import { AuditSigner } from './audit-signer';
import { AuditQueryService, isRedacted } from './audit-query.service';
import { AuditService } from './audit.service';
import {
  AuditEventPageDto,
  AuditEventResponseDto,
  AuditPublicKeyResponseDto,
  AuditVerifyResponseDto,
} from './dto/audit-event.response.dto';
import { AuditExportQueryDto, AuditListQueryDto } from './dto/audit-query.dto';

@ApiTags('audit')
@TenantScoped()
@Controller('audit-events')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly events: AuditQueryService,
    private readonly integrity: AuditIntegrity,
    private readonly signer: AuditSigner,
  ) {}

  /** The organization's audit trail, newest first (OWNER, ADMIN). */
  @Get()
  @CheckPolicies((a) => a.can('read', 'AuditEvent'))
  @ApiProblems(400, 401, 403, 404)
  async list(@CurrentCaller() caller: Caller, @Query() q: AuditListQueryDto): Promise<AuditEventPageDto> {
    const page = await this.events.list(caller.organizationId, caller.userId, q, q.limit, q.cursor);
    return { items: page.items.map(AuditEventResponseDto.from), nextCursor: page.nextCursor };
  }

  /**
   * The Ed25519 public key that verifies export manifests and retention checkpoints (OWNER, ADMIN);
   * `npm run audit:verify -- <file> --public-key <pem>` uses it (docs/compliance.md).
   */
  @Get('public-key')
  @CheckPolicies((a) => a.can('read', 'AuditEvent'))
  @ApiProblems(401, 403, 404)
  publicKey(): AuditPublicKeyResponseDto {
    return { algorithm: 'Ed25519', publicKey: this.signer.publicKeyPem };
  }

  /**
   * Recomputes the hash chain and reports the first broken link, if any (OWNER, ADMIN). After
   * retention deleted old events, the walk starts from the signed checkpoint (`checkpointSeq`).
   */
  @Get('verify')
  @CheckPolicies((a) => a.can('read', 'AuditEvent'))
  @ApiProblems(401, 403, 404)
  verify(@CurrentCaller() caller: Caller): Promise<AuditVerifyResponseDto> {
    return this.integrity.verify(caller.organizationId);
  }

  /**
   * Streams matching events oldest first as CSV or JSON Lines (OWNER, ADMIN). The export is audited.
   * JSON Lines: each event line carries `seq`, `hash` and `prevHash`; when retention deleted older
   * events the first line is the signed checkpoint `{checkpoint, signature}`; the last line is the
   * signed manifest `{manifest: {organizationId, from, to, count, firstSeq, lastSeq, lastHash,
   * exportedAt, redactedSeqs}, signature}` (base64 Ed25519 over the UTF-8 bytes of
   * `JSON.stringify(manifest)`). CSV cells that a spreadsheet would run as a formula start with `'`.
   */
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
    const organizationId = caller.organizationId;
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
    const write = async (chunk: string) => {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    };
    const manifest = new ManifestBuilder(organizationId, filter);
    if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\r\n`);
    else {
      const checkpoint = await this.integrity.checkpoint(organizationId);
      if (checkpoint)
        await write(
          `${JSON.stringify({ checkpoint: checkpoint.payload, signature: checkpoint.signature })}\n`,
        );
    }
    for await (const batch of this.events.iterate(organizationId, caller.userId, filter)) {
      let chunk = '';
      for (const e of batch) {
        if (format === 'csv') chunk += csvRow(e);
        else {
          manifest.add(e, isRedacted(e));
          chunk += `${JSON.stringify(AuditEventResponseDto.from(e))}\n`;
        }
      }
      await write(chunk);
    }
    if (format === 'jsonl') {
      const signed = this.signer.sign(manifest.build());
      await write(`${JSON.stringify({ manifest: signed.value, signature: signed.signature })}\n`);
    }
    res.end();
  }
}
