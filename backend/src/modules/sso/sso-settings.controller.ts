import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { PutSsoSettingsDto } from './dto/sso-settings.dto';
import { SsoSettingsResponseDto } from './dto/sso-settings.response.dto';
import { SsoSettingsService } from './sso-settings.service';

@ApiTags('sso')
@TenantScoped({ param: 'id' })
@Controller('organizations/:id/sso')
export class SsoSettingsController {
  constructor(private readonly settings: SsoSettingsService) {}

  /**
   * The organization's SAML settings (OWNER, ADMIN). When none exist yet, `configured` is false and
   * `sp` still tells the admin what to register at the IdP.
   */
  @Get()
  @CheckPolicies((a) => a.can('manage', 'SsoSettings'))
  @ApiProblems(400, 401, 403, 404)
  get(@UuidParam('id') id: string): Promise<SsoSettingsResponseDto> {
    return this.settings.get(id);
  }

  /**
   * Creates or updates the SAML settings (OWNER, ADMIN). The IdP comes from uploaded metadata,
   * a metadata URL the server fetches (5 s timeout, 1 MB), or explicit entity id, SSO URL and
   * certificate. Bad metadata or certificates → 400 naming the field; mapping an IdP value to OWNER
   * needs an OWNER (403).
   */
  @Put()
  @CheckPolicies((a) => a.can('manage', 'SsoSettings'))
  @ApiProblems(400, 401, 403, 404)
  put(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @Body() dto: PutSsoSettingsDto,
  ): Promise<SsoSettingsResponseDto> {
    return this.settings.put(caller, dto);
  }

  /** Removes the SAML settings (OWNER, ADMIN); members keep their accounts and memberships. */
  @Delete()
  @HttpCode(204)
  @CheckPolicies((a) => a.can('manage', 'SsoSettings'))
  @ApiProblems(400, 401, 403, 404)
  remove(@UuidParam('id') id: string): Promise<void> {
    return this.settings.remove(id);
  }
}
