import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CollectionsService } from './collections.service';
import './taxonomy.errors';
import { CreateCollectionDto, DeleteCollectionQueryDto, UpdateCollectionDto } from './dto/taxonomy.dto';
import { CollectionListDto, CollectionResponseDto } from './dto/taxonomy.response.dto';

@ApiTags('taxonomy')
@TenantScoped()
@Controller('collections')
export class CollectionsController {
  constructor(private readonly collections: CollectionsService) {}

  /**
   * Every collection of the organization (any member), flat with `parentId`, sorted by name. Not
   * paginated: the console draws the whole tree at once; `nextCursor` is always null.
   */
  @Get()
  @CheckPolicies((a) => a.can('read', 'Collection'))
  @ApiProblems(401, 404)
  async list(@CurrentCaller() caller: Caller): Promise<CollectionListDto> {
    return { items: await this.collections.list(caller), nextCursor: null };
  }

  /** Creates a collection, optionally inside another (EDITOR and above). 409 if a sibling has the name. */
  @Post()
  @CheckPolicies((a) => a.can('create', 'Collection'))
  @ApiProblems(400, 401, 403, 404, 'collection_name_taken')
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateCollectionDto): Promise<CollectionResponseDto> {
    return this.collections.create(caller, dto);
  }

  /**
   * Renames, re-describes or moves a collection (OWNER, ADMIN or its creator). Moving it under
   * itself or one of its descendants answers 409, as does a sibling with the same name.
   */
  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'Collection'))
  @ApiProblems(400, 401, 403, 404, 'collection_name_taken', 'collection_cycle')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdateCollectionDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.update(caller, id, dto);
  }

  /**
   * Deletes a collection (OWNER, ADMIN or its creator). One with sub-collections or prompts
   * answers 409 unless `?cascade=true`: then its sub-collections are deleted too (each must be
   * deletable by you) and every prompt filed in any of them becomes unfiled. Prompts are never
   * deleted by this.
   */
  @Delete(':id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'Collection'))
  @ApiProblems(400, 401, 403, 404, 'collection_not_empty')
  remove(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() q: DeleteCollectionQueryDto,
  ): Promise<void> {
    return this.collections.remove(caller, id, q.cascade ?? false);
  }
}
