import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@TenantScoped({ param: 'id' })
@Controller('organizations/:id/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Creates a key for the caller in this organization. The key is in this response only. */
  @Post()
  @CheckPolicies((a) => a.can('use_api', 'ApiKey'))
  @ApiProblems(400, 401, 404)
  create(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    return this.keys.create(caller, dto);
  }

  /** Active keys: your own; OWNER and ADMIN see every member's. */
  @Get()
  @ApiProblems(400, 401, 404)
  list(@CurrentCaller() caller: Caller, @UuidParam('id') _id: string): Promise<ApiKeyResponseDto[]> {
    return this.keys.list(caller);
  }

  /** Revokes a key (your own; OWNER and ADMIN any). */
  @Delete(':keyId')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  revoke(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @UuidParam('keyId') keyId: string,
  ): Promise<void> {
    return this.keys.revoke(caller, keyId);
  }
}
