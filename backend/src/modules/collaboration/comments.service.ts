import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { PromptAccess } from '../prompts/prompt-access.service';
import type { PromptRow } from '../prompts/prompts.repository';
import { TIMESTAMP_TEXT } from '../prompts/prompts.sql';
import { CollaborationException } from './collaboration.errors';
import { CommentRecord, CommentRow, CommentsRepository } from './comments.repository';
import { CreateCommentDto, UpdateCommentDto } from './dto/comment.dto';
import { CommentResponseDto } from './dto/comment.response.dto';
import { extractMentions } from './mentions';

type CommentCursor = { at: string; id: string };
const isCommentCursor = (v: unknown): v is CommentCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as CommentCursor).at === 'string' &&
  TIMESTAMP_TEXT.test((v as CommentCursor).at) &&
  typeof (v as CommentCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as CommentCursor).id);

const toDto = (r: CommentRow): CommentResponseDto => {
  const deleted = r.deleted_at !== null;
  return {
    id: r.id,
    promptId: r.prompt_id,
    parentId: r.parent_id,
    authorId: r.author_id,
    author: r.author_id ? { id: r.author_id, name: r.author_name ?? '', email: r.author_email ?? '' } : null,
    content: deleted ? null : r.content,
    edited: !deleted && new Date(r.updated_at).getTime() > new Date(r.created_at).getTime(),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    deletedAt: r.deleted_at ? new Date(r.deleted_at).toISOString() : null,
  };
};

/**
 * Threaded Markdown comments on prompts. Anyone who can see a prompt may comment on it; authors
 * edit their own; authors and OWNER/ADMIN delete (softly: the thread keeps the reply's place).
 * `@e-mail` mentions mail members who can see the prompt, after the transaction commits.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentsRepository,
    private readonly prompts: PromptAccess,
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  async list(
    caller: Caller,
    promptId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<CommentResponseDto>> {
    await this.prompts.loadVisible(caller, promptId);
    const rows = await this.comments.page(
      promptId,
      limit,
      cursor ? decodeCursor(cursor, isCommentCursor) : undefined,
    );
    return toPage(rows, limit, (r) => ({ at: r.cursor_at, id: r.id }), toDto);
  }

  async create(caller: Caller, promptId: string, dto: CreateCommentDto): Promise<CommentResponseDto> {
    const prompt = await this.prompts.loadVisible(caller, promptId);
    if (dto.parentId) {
      const parent = await this.comments.find(caller.organizationId, dto.parentId);
      if (!parent || parent.prompt_id !== promptId) {
        throw new AppException('validation_failed', 'The parent comment is not a comment on this prompt', {
          errors: [{ field: 'parentId', message: 'parentId must be a comment on this prompt' }],
        });
      }
      if (parent.deleted_at)
        throw new CollaborationException('comment_parent_deleted', 'You cannot reply to a deleted comment');
    }
    const parentId = dto.parentId ?? null;
    const id = await this.comments.insert({
      organizationId: caller.organizationId,
      promptId,
      parentId,
      authorId: caller.userId,
      content: dto.content,
    });
    await this.audit.record({
      action: 'comment.created',
      target: { type: 'comment', id },
      changes: { promptId, parentId },
    });
    await this.outbox.publish({
      type: 'comment.created',
      aggregateType: 'comment',
      aggregateId: id,
      payload: { promptId, parentId, authorId: caller.userId },
    });
    await this.notifyMentions(caller, prompt, extractMentions(dto.content), dto.content);
    return this.view(id);
  }

  /** Changes the text (the author only). Mentions that were not in the previous text are notified. */
  async update(caller: Caller, id: string, dto: UpdateCommentDto): Promise<CommentResponseDto> {
    const { comment, prompt } = await this.load(caller, id);
    requireAccess(
      caller,
      'update',
      { __type: 'Comment', authorId: comment.author_id },
      'Only the author may edit a comment',
    );
    if (dto.content !== comment.content) {
      await this.comments.updateContent(id, dto.content);
      await this.audit.record({
        action: 'comment.updated',
        target: { type: 'comment', id },
        changes: { promptId: comment.prompt_id },
      });
      await this.outbox.publish({
        type: 'comment.updated',
        aggregateType: 'comment',
        aggregateId: id,
        payload: { promptId: comment.prompt_id },
      });
      const before = new Set(extractMentions(comment.content));
      const added = extractMentions(dto.content).filter((m) => !before.has(m));
      await this.notifyMentions(caller, prompt, added, dto.content);
    }
    return this.view(id);
  }

  /** Soft delete (the author, or OWNER/ADMIN for anyone's): the content goes, the thread stays. */
  async remove(caller: Caller, id: string): Promise<void> {
    const { comment } = await this.load(caller, id);
    requireAccess(
      caller,
      'delete',
      { __type: 'Comment', authorId: comment.author_id },
      'Only the author, OWNER or ADMIN may delete a comment',
    );
    await this.comments.softDelete(id);
    await this.audit.record({
      action: 'comment.deleted',
      target: { type: 'comment', id },
      changes: { promptId: comment.prompt_id, authorId: comment.author_id },
    });
    await this.outbox.publish({
      type: 'comment.deleted',
      aggregateType: 'comment',
      aggregateId: id,
      payload: { promptId: comment.prompt_id },
    });
  }

  /** A standing comment on a prompt the caller can see (RLS hides comments of invisible prompts). */
  private async load(caller: Caller, id: string): Promise<{ comment: CommentRecord; prompt: PromptRow }> {
    const comment = await this.comments.find(caller.organizationId, id);
    if (!comment || comment.deleted_at) throw notFound('Comment');
    const prompt = await this.prompts.loadVisible(caller, comment.prompt_id);
    return { comment, prompt };
  }

  private async view(id: string): Promise<CommentResponseDto> {
    const row = await this.comments.view(id);
    if (!row) throw notFound('Comment');
    return toDto(row);
  }

  /**
   * Mails each mentioned address that belongs to a member who can see the prompt (anyone for an
   * organization prompt, only its author for a private one). Unknown addresses and the commenter
   * are skipped silently. Mails go out only after the comment is committed.
   */
  private async notifyMentions(
    caller: Caller,
    prompt: PromptRow,
    emails: string[],
    content: string,
  ): Promise<void> {
    if (!emails.length) return;
    const recipients = await this.comments.mentionable(caller.organizationId, emails, caller.userId, prompt);
    if (!recipients.length) return;
    const me = await this.comments.userName(caller.userId);
    const who = me?.name || me?.email || 'Someone';
    const link = `${this.config.publicUrl}/prompts/${prompt.id}`;
    for (const r of recipients) {
      this.transactions.afterCommit(() =>
        this.mail.send({
          to: r.email,
          subject: `${who} mentioned you on "${prompt.title}"`,
          text: `Hello ${r.name},\n\n${who} mentioned you in a comment on the prompt "${prompt.title}":\n\n${content}\n\nOpen the prompt: ${link}\n`,
        }),
      );
    }
  }
}
