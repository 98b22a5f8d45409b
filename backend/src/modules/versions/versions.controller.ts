import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { AppException } from '../../common/errors/domain.exception';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { PositiveIntParam } from '../../common/http/int-param';
import { UuidParam } from '../../common/http/uuid-param';
import { PageQueryDto } from '../../common/pagination/pagination';
import { PromptResponseDto } from '../prompts/dto/prompt.response.dto';
import { SLUG_PATTERN } from '../prompts/dto/prompt.dto';
import { LABEL_MESSAGE, LABEL_PATTERN } from '../prompts/dto/render.dto';
import {
  DiffQueryDto,
  LabelHistoryQueryDto,
  MoveLabelDto,
  RevertDto,
  RuntimeFetchQueryDto,
} from './dto/version.dto';
import {
  DiffResponseDto,
  LabelMovePageResponseDto,
  LabelResponseDto,
  RuntimePromptResponseDto,
  VersionPageResponseDto,
  VersionResponseDto,
} from './dto/version.response.dto';
import './versions.errors';
import '../test-runs/test-runs.errors';
import { matchesEtag, RuntimeFetchService } from './runtime-fetch.service';
import { VersionsService } from './versions.service';

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

/** A positive version number in the path (400 naming the field otherwise). */
const VersionParam = () => PositiveIntParam('version');

const checkedVersion = (v: number) => {
  if (v < 1) throw invalid('version', 'version must be a positive integer');
  return v;
};

@ApiTags('versions')
@TenantScoped()
@CheckPolicies((a) => a.can('read', 'Prompt'))
@Controller('prompts')
export class VersionsController {
  constructor(
    private readonly versions: VersionsService,
    private readonly runtime: RuntimeFetchService,
  ) {}

  /**
   * Runtime fetch for applications (works with `X-API-Key`): the version a `label` points at, a
   * given `version`, or the current one, with a strong `ETag`. Send it back as `If-None-Match` to
   * get 304 while nothing changed.
   */
  @Get('by-slug/:slug')
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer' })
  @ApiOkResponse({
    type: RuntimePromptResponseDto,
    headers: { ETag: { description: 'Strong validator of the body', schema: { type: 'string' } } },
  })
  @ApiNotModifiedResponse({ description: 'The version is unchanged since the ETag was issued' })
  @ApiProblems(400, 401, 404, 'version_not_found', 'version_label_not_found', 429)
  async fetchBySlug(
    @CurrentCaller() caller: Caller,
    @Param('slug') slug: string,
    @Query() query: RuntimeFetchQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RuntimePromptResponseDto | undefined> {
    if (!SLUG_PATTERN.test(slug) || slug.length > 100)
      throw invalid('slug', 'slug is not a valid prompt slug');
    const { body, etag } = await this.runtime.fetchBySlug(caller, slug, {
      label: query.label,
      version: query.version,
    });
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (matchesEtag(ifNoneMatch, etag)) {
      res.status(304);
      return undefined;
    }
    return body;
  }

  /**
   * The prompt's versions, newest first, as far as the organization's plan shows history (Free:
   * the last 3, Starter: the last 30 days; the current version always). Older ones are kept and
   * appear again after an upgrade.
   */
  @Get(':id/versions')
  @ApiProblems(400, 401, 404)
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() page: PageQueryDto,
  ): Promise<VersionPageResponseDto> {
    return this.versions.list(caller, id, page.limit, page.cursor);
  }

  /**
   * The full snapshot of one version. A version outside the plan's visible history answers 404
   * `version_not_found` with `plan` and `upgradeUrl`.
   */
  @Get(':id/versions/:version')
  @ApiProblems(400, 401, 404, 'version_not_found')
  get(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @VersionParam() version: number,
  ): Promise<VersionResponseDto> {
    return this.versions.get(caller, id, checkedVersion(version));
  }

  /**
   * Makes a new version equal to `version` (needs the right to edit the prompt). A version outside
   * the plan's visible history answers 404 `version_not_found`.
   */
  @Post(':id/versions/:version/revert')
  @HttpCode(200)
  @ApiProblems(400, 401, 403, 404, 'version_not_found')
  revert(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @VersionParam() version: number,
    @Body() dto: RevertDto,
  ): Promise<PromptResponseDto> {
    return this.versions.revert(caller, id, checkedVersion(version), dto.changeNote);
  }

  /**
   * Per-field differences between two versions as `equal`/`insert`/`delete` hunks: words for title,
   * description and short content, lines for long content, stable JSON lines for variables and
   * metadata. Unchanged fields are absent. Both versions must be in the plan's visible history
   * (otherwise 404 `version_not_found`).
   */
  @Get(':id/diff')
  @ApiProblems(400, 401, 404, 'version_not_found')
  diff(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() query: DiffQueryDto,
  ): Promise<DiffResponseDto> {
    return this.versions.diff(caller, id, query.from, query.to);
  }

  /** Where each release label of the prompt points. */
  @Get(':id/labels')
  @ApiProblems(400, 401, 404)
  labels(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<LabelResponseDto[]> {
    return this.versions.labels(caller, id);
  }

  /** Every move of the prompt's labels (or of one `label`), newest first. */
  @Get(':id/labels/history')
  @ApiProblems(400, 401, 404)
  labelHistory(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() query: LabelHistoryQueryDto,
  ): Promise<LabelMovePageResponseDto> {
    return this.versions.labelHistory(caller, id, query.limit, query.cursor, query.label);
  }

  /**
   * Points a release label at a version. Moving `production` needs OWNER or ADMIN; other labels
   * need the right to edit the prompt. When the organization requires a passing test run for
   * production (settings: `requireTestRunForProduction`), moving `production` to a version whose
   * last finished test run is missing or failed answers 409 `test_run_required`. Every move is
   * recorded and audited.
   */
  @Put(':id/labels/:label')
  @ApiProblems(400, 401, 403, 404, 'test_run_required')
  moveLabel(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Param('label') label: string,
    @Body() dto: MoveLabelDto,
  ): Promise<LabelResponseDto> {
    if (!LABEL_PATTERN.test(label)) throw invalid('label', LABEL_MESSAGE);
    return this.versions.moveLabel(caller, id, label, dto.version);
  }
}
