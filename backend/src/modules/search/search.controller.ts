import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CreateSavedSearchDto, SearchQueryDto, SimilarQueryDto } from './dto/search.dto';
import {
  RecentSearchResponseDto,
  SavedSearchResponseDto,
  SearchResponseDto,
  SimilarPromptsResponseDto,
} from './dto/search.response.dto';
import { SavedSearchesService } from './saved-searches.service';
import { SearchScope } from './search.types';
import { SearchService } from './search.service';

const readPrompts = CheckPolicies((a) => a.can('read', 'Prompt'));

/**
 * What a search runs for: the caller's organization, the caller for their private prompts, and
 * the API key (if any) its usage event is counted for.
 */
const scopeOf = ({ organizationId, userId, apiKey }: Caller): SearchScope & { userId: string } => ({
  organizationId,
  userId,
  apiKey: apiKey ? { id: apiKey.id } : null,
});

@ApiTags('search')
@TenantScoped()
@Controller('search')
export class SearchController {
  constructor(
    private readonly search: SearchService,
    private readonly saved: SavedSearchesService,
  ) {}

  /**
   * Full-text search over the organization's prompts (private ones only of the caller), with
   * highlights, facets over the filtered result, sorting and cursor pagination. Recorded in the
   * caller's recent searches (first pages with a query or filters) unless `record=false`.
   */
  @Get()
  @readPrompts
  @ApiProblems(400, 401, 404)
  run(@CurrentCaller() caller: Caller, @Query() dto: SearchQueryDto): Promise<SearchResponseDto> {
    const { q, limit, cursor, record, ...filters } = dto;
    return this.search.search(scopeOf(caller), { q, limit, cursor, filters }, { record: record !== false });
  }

  /** Your saved searches and those shared with the organization (yours first). */
  @Get('saved')
  @readPrompts
  @ApiProblems(401, 404)
  listSaved(@CurrentCaller() caller: Caller): Promise<SavedSearchResponseDto[]> {
    return this.saved.list(caller);
  }

  /** Saves a query with its filters under a name; `shared` shows it to the organization. */
  @Post('saved')
  @readPrompts
  @ApiProblems(400, 401, 404, 'saved_search_name_taken')
  createSaved(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateSavedSearchDto,
  ): Promise<SavedSearchResponseDto> {
    return this.saved.create(caller, dto);
  }

  /** Deletes your saved search (OWNER and ADMIN may delete shared ones of others). */
  @Delete('saved/:id')
  @HttpCode(204)
  @readPrompts
  @ApiProblems(400, 401, 403, 404)
  deleteSaved(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.saved.remove(caller, id);
  }

  /** Subscribes you to a daily e-mail of new matches of this saved search. */
  @Put('saved/:id/subscription')
  @HttpCode(204)
  @readPrompts
  @ApiProblems(400, 401, 404)
  subscribe(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.saved.subscribe(caller, id);
  }

  /** Ends your daily e-mail for this saved search. */
  @Delete('saved/:id/subscription')
  @HttpCode(204)
  @readPrompts
  @ApiProblems(400, 401, 404)
  unsubscribe(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.saved.unsubscribe(caller, id);
  }

  /** Your last 20 distinct searches, newest first. */
  @Get('recent')
  @readPrompts
  @ApiProblems(401, 404)
  recent(@CurrentCaller() caller: Caller): Promise<RecentSearchResponseDto[]> {
    return this.saved.recent(caller);
  }
}

/**
 * `GET /prompts/similar` lives here (search owns it). The literal `similar` wins over
 * `/prompts/:id` by route specificity (common/routing/route-order.ts), whatever the module order.
 */
@ApiTags('search')
@TenantScoped()
@Controller('prompts')
export class SimilarPromptsController {
  constructor(private readonly search: SearchService) {}

  /**
   * The existing prompts most similar to a title and content being written (trigram similarity in
   * Postgres, `more_like_this` in Elasticsearch), so the console can suggest editing or forking.
   */
  @Get('similar')
  @readPrompts
  @ApiProblems(400, 401, 404)
  similar(
    @CurrentCaller() caller: Caller,
    @Query() dto: SimilarQueryDto,
  ): Promise<SimilarPromptsResponseDto> {
    return this.search.similar(scopeOf(caller), {
      title: dto.title.trim(),
      content: dto.content.trim(),
      limit: dto.limit,
      excludeId: dto.excludeId,
    });
  }
}
