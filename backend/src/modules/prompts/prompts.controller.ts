import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { PageQueryDto } from '../../common/pagination/pagination';
import { CreatePromptDto, ListPromptsQueryDto, UpdatePromptDto } from './dto/prompt.dto';
import { FavoriteResponseDto, PromptPageResponseDto, PromptResponseDto } from './dto/prompt.response.dto';
import {
  CreateTestCaseDto,
  RenderPromptDto,
  RenderResponseDto,
  RunTestCasesDto,
  UpdateTestCaseDto,
} from './dto/render.dto';
import {
  TestCasePageResponseDto,
  TestCaseResponseDto,
  TestRunResponseDto,
} from './dto/test-case.response.dto';
import '../analytics/analytics.errors';
import '../versions/versions.errors';
import './prompts.errors';
import { PromptFavorites } from './prompt-favorites.service';
import { PromptsService } from './prompts.service';
import { TestCasesService } from './test-cases.service';

@ApiTags('prompts')
@TenantScoped()
@CheckPolicies((a) => a.can('read', 'Prompt'))
@Controller('prompts')
export class PromptsController {
  constructor(
    private readonly prompts: PromptsService,
    private readonly favorites: PromptFavorites,
    private readonly testCases: TestCasesService,
  ) {}

  /**
   * Creates a prompt (version 1). `slug` defaults from the title; every `{{name}}` in the content
   * becomes a required text variable unless declared in `variables`. Past the plan's prompt
   * limit, 403 `plan_limit_reached` (every prompt counts until deleted: archived and private ones too).
   */
  @Post()
  @CheckPolicies((a) => a.can('create', 'Prompt'))
  @ApiProblems(400, 401, 403, 404, 'prompt_slug_taken', 'plan_limit_reached')
  create(@CurrentCaller() caller: Caller, @Body() dto: CreatePromptDto): Promise<PromptResponseDto> {
    return this.prompts.create(caller, dto);
  }

  /** Prompts the caller can see (private ones only their author), filtered and sorted, a page at a time. */
  @Get()
  @ApiProblems(400, 401, 404)
  list(@CurrentCaller() caller: Caller, @Query() query: ListPromptsQueryDto): Promise<PromptPageResponseDto> {
    return this.prompts.list(caller, query);
  }

  /** One prompt; counts a view. */
  @Get(':id')
  @ApiProblems(400, 401, 404)
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<PromptResponseDto> {
    return this.prompts.get(caller, id);
  }

  /**
   * Changes fields. A change to title, description, content, variables or metadata makes a new
   * version; `expectedVersion` other than the current version answers 409. EDITORs change their own
   * prompts only.
   */
  @Patch(':id')
  @ApiProblems(400, 401, 403, 404, 'prompt_slug_taken', 'prompt_version_conflict')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdatePromptDto,
  ): Promise<PromptResponseDto> {
    return this.prompts.update(caller, id, dto);
  }

  /** Deletes the prompt with its versions, labels and test cases. EDITORs delete their own only. */
  @Delete(':id')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  remove(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.prompts.remove(caller, id);
  }

  /** Toggles the caller's favorite. */
  @Post(':id/favorite')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('favorite', 'Prompt'))
  @ApiProblems(400, 401, 403, 404)
  favorite(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<FavoriteResponseDto> {
    return this.favorites.toggle(caller, id);
  }

  /**
   * Copies the prompt for the caller: new slug, version 1, draft; a private prompt's copy stays
   * private. The copy counts toward the plan's prompt limit (403 `plan_limit_reached`).
   */
  @Post(':id/duplicate')
  @CheckPolicies((a) => a.can('create', 'Prompt'))
  @ApiProblems(400, 401, 403, 404, 'plan_limit_reached')
  duplicate(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<PromptResponseDto> {
    return this.prompts.duplicate(caller, id);
  }

  /**
   * Renders the current version, `version` or the version a `label` points at with the given
   * values; counts a use. Missing required or ill-typed variables answer 422 with one error per
   * variable (`variables.<name>`).
   */
  @Post(':id/render')
  @HttpCode(200)
  @ApiProblems(400, 401, 404, 'version_not_found', 'version_label_not_found', 'prompt_variables_invalid')
  render(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: RenderPromptDto,
  ): Promise<RenderResponseDto> {
    return this.prompts.render(caller, id, dto.variables ?? {}, { version: dto.version, label: dto.label });
  }

  /** The prompt's saved test cases, oldest first. */
  @Get(':id/test-cases')
  @ApiProblems(400, 401, 404)
  listTestCases(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() page: PageQueryDto,
  ): Promise<TestCasePageResponseDto> {
    return this.testCases.list(caller, id, page.limit, page.cursor);
  }

  /** Saves a test case (needs the right to edit the prompt). */
  @Post(':id/test-cases')
  @ApiProblems(400, 401, 403, 404)
  createTestCase(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: CreateTestCaseDto,
  ): Promise<TestCaseResponseDto> {
    return this.testCases.create(caller, id, dto);
  }

  /**
   * Runs the prompt's test cases (or `caseIds`) against the current version, `version` or `label`.
   * Each case passes when it renders and contains `expectedContains`.
   */
  @Post(':id/test-cases/run')
  @HttpCode(200)
  @ApiProblems(400, 401, 403, 404, 'version_not_found', 'version_label_not_found', 'budget_exceeded')
  runTestCases(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: RunTestCasesDto,
  ): Promise<TestRunResponseDto> {
    return this.testCases.run(caller, id, dto);
  }

  /** Changes a test case (needs the right to edit the prompt). */
  @Patch(':id/test-cases/:caseId')
  @ApiProblems(400, 401, 403, 404)
  updateTestCase(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @UuidParam('caseId') caseId: string,
    @Body() dto: UpdateTestCaseDto,
  ): Promise<TestCaseResponseDto> {
    return this.testCases.update(caller, id, caseId, dto);
  }

  /** Deletes a test case (needs the right to edit the prompt). */
  @Delete(':id/test-cases/:caseId')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  removeTestCase(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @UuidParam('caseId') caseId: string,
  ): Promise<void> {
    return this.testCases.remove(caller, id, caseId);
  }
}
