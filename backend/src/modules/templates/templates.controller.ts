import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PromptResponseDto } from '../prompts/dto/prompt.response.dto';
import '../billing/billing.errors';
import { ListTemplatesQueryDto, TemplateResponseDto, UseTemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@TenantScoped()
@CheckPolicies((a) => a.can('read', 'Prompt'))
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  /**
   * The starter templates, for any member. `category` narrows to one category (an unknown one
   * answers 400 naming the valid ones); `q` matches title, description and content, case-insensitively.
   */
  @Get()
  @ApiProblems(400, 401, 404)
  list(@Query() query: ListTemplatesQueryDto): TemplateResponseDto[] {
    return this.templates.list(query);
  }

  /** One template by its stable id. */
  @Get(':id')
  @ApiProblems(400, 401, 404)
  get(@Param('id') id: string): TemplateResponseDto {
    return this.templates.get(id);
  }

  /**
   * Creates a prompt in the organization from the template (EDITOR and above): an ordinary draft
   * prompt whose version 1 notes "Created from template <title>". `collectionId` must be a
   * collection of the organization (400 otherwise). Past the plan's prompt limit, 403 `plan_limit_reached`.
   */
  @Post(':id/use')
  @CheckPolicies((a) => a.can('create', 'Prompt'))
  @ApiProblems(400, 401, 403, 404, 'plan_limit_reached')
  use(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() dto: UseTemplateDto,
  ): Promise<PromptResponseDto> {
    return this.templates.use(caller, id, dto);
  }
}
