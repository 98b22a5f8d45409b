import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { PageQueryDto } from '../../common/pagination/pagination';
import './collaboration.errors';
import { CommentsService } from './comments.service';
import { CreateCommentDto, UpdateCommentDto } from './dto/comment.dto';
import { CommentPageDto, CommentResponseDto } from './dto/comment.response.dto';

@ApiTags('collaboration')
@TenantScoped()
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /**
   * The prompt's comments, oldest first, any member who can see the prompt. Deleted comments keep
   * their place in the thread with `content: null`.
   */
  @Get('prompts/:id/comments')
  @CheckPolicies((a) => a.can('read', 'Comment'))
  @ApiProblems(400, 401, 404)
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') promptId: string,
    @Query() q: PageQueryDto,
  ): Promise<CommentPageDto> {
    return this.comments.list(caller, promptId, q.limit, q.cursor);
  }

  /**
   * Comments on a prompt you can see (every role, VIEWER included), optionally replying to another
   * comment of the same prompt (400 otherwise; 409 if that comment was deleted). Markdown is stored
   * as written. Each `@someone@example.com` mention mails that member if they can see the prompt;
   * other addresses are ignored.
   */
  @Post('prompts/:id/comments')
  @CheckPolicies((a) => a.can('comment', 'Prompt'))
  @ApiProblems(400, 401, 403, 404, 'comment_parent_deleted')
  create(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') promptId: string,
    @Body() dto: CreateCommentDto,
  ): Promise<CommentResponseDto> {
    return this.comments.create(caller, promptId, dto);
  }

  /** Edits a comment (its author only). Mentions added by the edit are notified. */
  @Patch('comments/:id')
  @CheckPolicies((a) => a.can('create', 'Comment'))
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdateCommentDto,
  ): Promise<CommentResponseDto> {
    return this.comments.update(caller, id, dto);
  }

  /** Deletes a comment (its author; OWNER and ADMIN anyone's). Replies stay; the content is hidden. */
  @Delete('comments/:id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('create', 'Comment'))
  @ApiProblems(400, 401, 403, 404)
  remove(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.comments.remove(caller, id);
  }
}
