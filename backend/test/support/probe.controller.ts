import { Body, Controller, Post } from '@nestjs/common';
import { IsBoolean, IsString } from 'class-validator';
import { TenantScoped } from '../../src/authz/decorators';
import { AppException } from '../../src/common/errors/domain.exception';
import { AuditService } from '../../src/modules/audit/audit.service';
import { OutboxService } from '../../src/modules/outbox/outbox.service';

export class ProbeDto {
  @IsString()
  marker: string;

  @IsBoolean()
  fail: boolean;
}

/**
 * A tenant route mounted only in tests: it does what every domain change does (an audit row and
 * an outbox row in the request's transaction) and then fails on demand.
 */
@TenantScoped()
@Controller('test-probe')
export class ProbeController {
  constructor(
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  @Post()
  async change(@Body() dto: ProbeDto): Promise<{ ok: true }> {
    await this.audit.record({ action: 'probe.changed', target: { type: 'probe', id: dto.marker } });
    await this.outbox.publish({
      type: 'probe.changed',
      aggregateType: 'probe',
      aggregateId: dto.marker,
      payload: { marker: dto.marker },
    });
    if (dto.fail) throw new AppException('conflict', 'The probe was asked to fail after writing');
    return { ok: true };
  }
}
