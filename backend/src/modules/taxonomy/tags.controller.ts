import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CreateTagDto, MergeTagDto, RenameTagDto, TagListQueryDto } from './dto/taxonomy.dto';
import { TagPageDto, TagResponseDto } from './dto/taxonomy.response.dto';
import './taxonomy.errors';
import { TagsService } from './tags.service';

@ApiTags('taxonomy')
@TenantScoped()
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  /** Tags sorted by name with their usage (prompts you can see that carry them); any member. */
  @Get()
  @CheckPolicies((a) => a.can('read', 'Tag'))
  @ApiProblems(400, 401, 404)
  list(@CurrentCaller() caller: Caller, @Query() q: TagListQueryDto): Promise<TagPageDto> {
    return this.tags.list(caller, q.limit, q.cursor, q.q);
  }

  /** Creates a tag (EDITOR and above; tagging a prompt creates missing tags too). 409 if the name exists in any case. */
  @Post()
  @CheckPolicies((a) => a.can('create', 'Tag'))
  @ApiProblems(400, 401, 403, 404, 'tag_name_taken')
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateTagDto): Promise<TagResponseDto> {
    return this.tags.create(caller, dto.name);
  }

  /** Renames a tag on every prompt that carries it (OWNER, ADMIN). 409 if another tag has the name. */
  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'Tag'))
  @ApiProblems(400, 401, 403, 404, 'tag_name_taken')
  rename(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: RenameTagDto,
  ): Promise<TagResponseDto> {
    return this.tags.rename(caller, id, dto.name);
  }

  /**
   * Merges this tag into another (OWNER, ADMIN): the prompts that carried it carry `into` instead
   * (once), this tag is deleted, and the surviving tag is returned. Audited as `tag.merged`; the
   * affected prompts are reindexed. 404 when either tag is absent, 400 when `into` is this tag.
   */
  @Post(':id/merge')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('delete', 'Tag'))
  @ApiProblems(400, 401, 403, 404)
  merge(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: MergeTagDto,
  ): Promise<TagResponseDto> {
    return this.tags.merge(caller, id, dto.into);
  }

  /** Deletes a tag and removes it from every prompt (OWNER, ADMIN). The prompts stay. */
  @Delete(':id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'Tag'))
  @ApiProblems(400, 401, 403, 404)
  remove(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.tags.remove(caller, id);
  }
}
