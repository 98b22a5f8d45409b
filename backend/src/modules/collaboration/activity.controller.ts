import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { ActivityService } from './activity.service';
import { ActivityPageDto, ActivityQueryDto } from './dto/activity.dto';

@ApiTags('collaboration')
@TenantScoped()
@Controller('activity')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  /**
   * Recent changes in the organization, newest first (any member): prompts created, updated,
   * deleted, duplicated, reverted, labels moved, test cases, comments, and collection, tag and
   * category changes. Entries about a prompt appear only if you can see it now; those of a deleted
   * prompt only if it was not private. `promptId` narrows the feed to one prompt, `actorId` to one
   * member's work, `type` to one kind of change (`prompt`, `comment`, `collection`, `tag`, `category`).
   */
  @Get()
  @CheckPolicies((a) => a.can('read', 'Prompt'))
  @ApiProblems(400, 401, 404)
  list(@CurrentCaller() caller: Caller, @Query() q: ActivityQueryDto): Promise<ActivityPageDto> {
    return this.activity.list(caller, q);
  }
}
