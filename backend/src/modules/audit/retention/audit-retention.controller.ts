import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../../authz/decorators';
import { UuidParam } from '../../../common/http/uuid-param';
import { ApiProblems } from '../../../common/http/api-problems.decorator';
import { AuditRetentionResponseDto } from '../dto/audit-event.response.dto';
import { UpdateAuditRetentionDto } from '../dto/audit-retention.dto';
import { AuditRetentionService } from './audit-retention.service';

@ApiTags('audit')
@Controller('organizations/:id/audit-retention')
@TenantScoped({ param: 'id' })
export class AuditRetentionController {
  constructor(private readonly retention: AuditRetentionService) {}

  /** How long the organization keeps audit events, and the plan's bound (OWNER, ADMIN). */
  @Get()
  @CheckPolicies((a) => a.can('read', 'AuditEvent'))
  @ApiProblems(400, 401, 403, 404)
  get(@UuidParam('id') id: string): Promise<AuditRetentionResponseDto> {
    return this.retention.get(id);
  }

  /**
   * Sets how long the organization keeps audit events (OWNER, ADMIN); `null` = the plan's maximum.
   * Over the plan's bound: 403 `plan_limit_reached` with `limit: "auditRetention"`, `plan`, `max`,
   * `current` and `upgradeUrl`. Audited as `audit.retention_changed`. An hourly job deletes older
   * events in batches and leaves a signed checkpoint (docs/compliance.md#retention).
   */
  @Put()
  @CheckPolicies((a) => a.can('read', 'AuditEvent') && a.can('update', 'Organization'))
  @ApiProblems(400, 401, 403, 404, 'plan_limit_reached')
  set(@UuidParam('id') id: string, @Body() dto: UpdateAuditRetentionDto): Promise<AuditRetentionResponseDto> {
    return this.retention.set(id, dto.days);
  }
}
