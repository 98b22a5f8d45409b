import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  OrganizationSettingsResponseDto,
  UpdateOrganizationSettingsDto,
} from './dto/organization-settings.dto';
import { OrganizationSettingsService } from './organization-settings.service';

@ApiTags('organizations')
@Controller('organizations/:id/settings')
@TenantScoped({ param: 'id' })
@CheckPolicies((a) => a.can('update', 'Organization'))
export class OrganizationSettingsController {
  constructor(private readonly settings: OrganizationSettingsService) {}

  /** The organization's settings, defaults included (OWNER, ADMIN). */
  @Get()
  @ApiProblems(400, 401, 403, 404)
  get(@UuidParam('id') id: string): Promise<OrganizationSettingsResponseDto> {
    return this.settings.read(id);
  }

  /**
   * Changes the settings sent and keeps the others (OWNER, ADMIN). Audited as
   * `organization.settings_updated` with each changed field's before and after.
   */
  @Patch()
  @ApiProblems(400, 401, 403, 404)
  update(
    @UuidParam('id') id: string,
    @Body() dto: UpdateOrganizationSettingsDto,
  ): Promise<OrganizationSettingsResponseDto> {
    return this.settings.update(id, dto);
  }
}
