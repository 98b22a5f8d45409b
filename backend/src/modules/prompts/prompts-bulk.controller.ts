import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { BulkPromptsDto, BulkResultDto } from './dto/prompts-bulk.dto';
import { PromptsBulkService } from './prompts-bulk.service';

@ApiTags('prompts')
@TenantScoped()
@Controller('prompts/bulk')
export class PromptsBulkController {
  constructor(private readonly bulk: PromptsBulkService) {}

  /**
   * Applies one action to up to 100 prompts and answers 200 with the outcome per id. Each id is
   * checked against your rights as if it were a request of its own (404 absent, in another
   * organization or someone else's private prompt; 403 not allowed, e.g. an EDITOR archiving
   * someone else's prompt) and runs in its own savepoint, so one failure does not undo the others.
   * Each applied change writes the same audit events, outbox rows and versions as the single-prompt
   * routes. A bad request as a whole (unknown action, missing `tags`/`collectionId`, unknown
   * collection) answers 400.
   */
  @Post()
  @HttpCode(200)
  @CheckPolicies((a) => a.can('read', 'Prompt'))
  @ApiProblems(400, 401, 404)
  apply(@CurrentCaller() caller: Caller, @Body() dto: BulkPromptsDto): Promise<BulkResultDto> {
    return this.bulk.apply(caller, dto);
  }
}
