import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  CreateProviderKeyDto,
  ProviderKeyResponseDto,
  ProviderKeyTestResultDto,
  TestProviderKeyDto,
} from './dto/provider-key.dto';
import './provider-keys.errors';
import { ProviderKeysService } from './provider-keys.service';

@ApiTags('provider-keys')
@TenantScoped()
@Controller('provider-keys')
export class ProviderKeysController {
  constructor(private readonly providerKeys: ProviderKeysService) {}

  /**
   * The organization's model provider keys (OWNER, ADMIN, EDITOR), sorted by name. Only the last
   * four characters of a key are ever shown.
   */
  @Get()
  @CheckPolicies((a) => a.can('read', 'ProviderKey'))
  @ApiProblems(401, 403, 404)
  list(@CurrentCaller() caller: Caller): Promise<ProviderKeyResponseDto[]> {
    return this.providerKeys.list(caller);
  }

  /**
   * Adds a key (OWNER, ADMIN). It is encrypted before it is stored and never returned. `baseUrl`
   * is required for `openai-compatible`; loopback and private addresses are refused unless the
   * server allows them (`PROVIDER_BASE_URL_ALLOW_PRIVATE`). 409 if another key has the name.
   */
  @Post()
  @CheckPolicies((a) => a.can('create', 'ProviderKey'))
  @ApiProblems(400, 401, 403, 404, 'provider_key_name_taken')
  create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateProviderKeyDto,
  ): Promise<ProviderKeyResponseDto> {
    return this.providerKeys.create(caller, dto);
  }

  /** Deletes a key (OWNER, ADMIN); the encrypted secret goes with the row. */
  @Delete(':id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'ProviderKey'))
  @ApiProblems(400, 401, 403, 404)
  remove(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.providerKeys.remove(caller, id);
  }

  /**
   * Tests a key (OWNER, ADMIN): asks the provider for one output token and answers 200 with the
   * outcome, `ok: false` included (a refused key, a rate limit, an unreachable endpoint). Sets the
   * key's `lastUsedAt`.
   */
  @Post(':id/test')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('manage', 'ProviderKey'))
  @ApiProblems(400, 401, 403, 404)
  test(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: TestProviderKeyDto,
  ): Promise<ProviderKeyTestResultDto> {
    return this.providerKeys.test(caller, id, dto.model);
  }
}
