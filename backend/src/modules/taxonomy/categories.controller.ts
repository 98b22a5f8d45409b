import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { PageQueryDto } from '../../common/pagination/pagination';
import { CategoriesService } from './categories.service';
import './taxonomy.errors';
import { CreateCategoryDto, UpdateCategoryDto } from './dto/taxonomy.dto';
import { CategoryPageDto, CategoryResponseDto } from './dto/taxonomy.response.dto';

@ApiTags('taxonomy')
@TenantScoped()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  /**
   * Categories sorted by name with their prompt counts (prompts you can see); any member. Every
   * organization starts with Marketing, Engineering, Sales and Support.
   */
  @Get()
  @CheckPolicies((a) => a.can('read', 'Category'))
  @ApiProblems(400, 401, 404)
  list(@CurrentCaller() caller: Caller, @Query() q: PageQueryDto): Promise<CategoryPageDto> {
    return this.categories.list(caller, q.limit, q.cursor);
  }

  /** Creates a category (OWNER, ADMIN). 409 if the name exists in any case. */
  @Post()
  @CheckPolicies((a) => a.can('create', 'Category'))
  @ApiProblems(400, 401, 403, 404, 'category_name_taken')
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateCategoryDto): Promise<CategoryResponseDto> {
    return this.categories.create(caller, dto);
  }

  /** Renames a category or changes its description (OWNER, ADMIN). 409 if another category has the name. */
  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'Category'))
  @ApiProblems(400, 401, 403, 404, 'category_name_taken')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdateCategoryDto,
  ): Promise<CategoryResponseDto> {
    return this.categories.update(caller, id, dto);
  }

  /** Deletes a category (OWNER, ADMIN). Its prompts are not deleted; they become uncategorized. */
  @Delete(':id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'Category'))
  @ApiProblems(400, 401, 403, 404)
  remove(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.categories.remove(caller, id);
  }
}
