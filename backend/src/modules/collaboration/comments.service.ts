import { RequestContext } from '../../common/context/request-context';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { defineAbilityFor } from '../../authz/ability.factory';
import { notFound, AppException } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import type { Caller } from '../../common/context/request-context';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { CreateCommentDto, UpdateCommentDto } from './dto/comment.dto';
import { CommentResponseDto } from './dto/comment.response.dto';
import { Comment } from './entities/comment.entity';
import { extractMentions } from './mentions';

interface PromptRef {
  id: string;
  title: string;
  visibility: 'private' | 'organization';
  author_id: string | null;
}

interface CommentRow {
  id: string;
  prompt_id: string;
  parent_id: string | null;
  author_id: string | null;
  content: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  cursor_at: string;
  author_name: string | null;
  author_email: string | null;
}

type CommentCursor = { at: string; id: string };
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const isCommentCursor = (v: unknown): v is CommentCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as CommentCursor).at === 'string' &&
  TIMESTAMP.test((v as CommentCursor).at) &&
  typeof (v as CommentCursor).id === 'string' &&
  /^[0-9a-f-]{36}$/i.test((v as CommentCursor).id);

const SELECT = `
  SELECT c.id, c.prompt_id, c.parent_id, c.author_id, c.content, c.created_at, c.updated_at, c.deleted_at,
         c.created_at::text AS cursor_at, u.name AS author_name, u.email AS author_email
    FROM comments c
    LEFT JOIN users u ON u.id = c.author_id`;

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
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly context: RequestContext,
  ) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  private get tenant(): Caller {
    const tenant = this.context.callerOrNull;
    if (!tenant) throw new Error('CommentsService needs a @TenantScoped() route');
    return tenant;
  }

  async list(promptId: string, limit: number, cursor?: string): Promise<Page<CommentResponseDto>> {
    await this.visiblePrompt(promptId);
    const params: unknown[] = [promptId, limit + 1];
    let after = '';
    if (cursor) {
      const c = decodeCursor(cursor, isCommentCursor);
      params.push(c.at, c.id);
      after = 'AND (c.created_at, c.id) > ($3::timestamptz, $4::uuid)';
    }
    const rows: CommentRow[] = await this.em.query(
      `${SELECT} WHERE c.prompt_id = $1 ${after} ORDER BY c.created_at, c.id LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => ({ at: r.cursor_at, id: r.id }), toDto);
  }

  async create(promptId: string, dto: CreateCommentDto): Promise<CommentResponseDto> {
    const prompt = await this.visiblePrompt(promptId);
    const { organizationId, userId } = this.tenant;
    if (dto.parentId) {
      const parent = await this.em.findOneBy(Comment, { id: dto.parentId, organizationId });
      if (!parent || parent.promptId !== promptId) {
        throw new AppException('validation_failed', 'The parent comment is not a comment on this prompt', {
          errors: [{ field: 'parentId', message: 'parentId must be a comment on this prompt' }],
        });
      }
      if (parent.deletedAt) throw new AppException('conflict', 'You cannot reply to a deleted comment');
    }
    const comment = this.em.create(Comment, {
      organizationId,
      promptId,
      parentId: dto.parentId ?? null,
      authorId: userId,
      content: dto.content,
    });
    await this.em.insert(Comment, comment);
    await this.audit.record({
      action: 'comment.created',
      target: { type: 'comment', id: comment.id },
      changes: { promptId, parentId: comment.parentId },
    });
    await this.outbox.publish({
      type: 'comment.created',
      aggregateType: 'comment',
      aggregateId: comment.id,
      payload: { promptId, parentId: comment.parentId, authorId: userId },
    });
    await this.notifyMentions(prompt, extractMentions(dto.content), dto.content);
    return this.view(comment.id);
  }

  /** Changes the text (the author only). Mentions that were not in the previous text are notified. */
  async update(id: string, dto: UpdateCommentDto): Promise<CommentResponseDto> {
    const comment = await this.load(id);
    if (!this.ability().can('update', { __type: 'Comment', authorId: comment.authorId })) {
      throw new AppException('forbidden', 'Only the author may edit a comment');
    }
    if (dto.content !== comment.content) {
      await this.em.query(`UPDATE comments SET content = $2, updated_at = now() WHERE id = $1`, [
        id,
        dto.content,
      ]);
      await this.audit.record({
        action: 'comment.updated',
        target: { type: 'comment', id },
        changes: { promptId: comment.promptId },
      });
      await this.outbox.publish({
        type: 'comment.updated',
        aggregateType: 'comment',
        aggregateId: id,
        payload: { promptId: comment.promptId },
      });
      const before = new Set(extractMentions(comment.content));
      const added = extractMentions(dto.content).filter((m) => !before.has(m));
      await this.notifyMentions(await this.visiblePrompt(comment.promptId), added, dto.content);
    }
    return this.view(id);
  }

  /** Soft delete (the author, or OWNER/ADMIN for anyone's): the content goes, the thread stays. */
  async remove(id: string): Promise<void> {
    const comment = await this.load(id);
    if (!this.ability().can('delete', { __type: 'Comment', authorId: comment.authorId })) {
      throw new AppException('forbidden', 'Only the author, OWNER or ADMIN may delete a comment');
    }
    await this.em.query(`UPDATE comments SET deleted_at = now() WHERE id = $1`, [id]);
    await this.audit.record({
      action: 'comment.deleted',
      target: { type: 'comment', id },
      changes: { promptId: comment.promptId, authorId: comment.authorId },
    });
    await this.outbox.publish({
      type: 'comment.deleted',
      aggregateType: 'comment',
      aggregateId: id,
      payload: { promptId: comment.promptId },
    });
  }

  /** The prompt if the caller can see it (RLS hides others' private prompts; the filter says so too). */
  private async visiblePrompt(promptId: string): Promise<PromptRef> {
    const { organizationId, userId } = this.tenant;
    const [prompt]: PromptRef[] = await this.em.query(
      `SELECT id, title, visibility, author_id FROM prompts
        WHERE id = $1 AND organization_id = $2 AND (visibility = 'organization' OR author_id = $3)`,
      [promptId, organizationId, userId],
    );
    if (!prompt) throw notFound('Prompt');
    return prompt;
  }

  /** A standing comment on a prompt the caller can see (RLS hides comments of invisible prompts). */
  private async load(id: string): Promise<Comment> {
    const comment = await this.em.findOneBy(Comment, { id, organizationId: this.tenant.organizationId });
    if (!comment || comment.deletedAt) throw notFound('Comment');
    await this.visiblePrompt(comment.promptId);
    return comment;
  }

  private async view(id: string): Promise<CommentResponseDto> {
    const [row]: CommentRow[] = await this.em.query(`${SELECT} WHERE c.id = $1`, [id]);
    if (!row) throw notFound('Comment');
    return toDto(row);
  }

  private ability() {
    return defineAbilityFor(this.tenant.role, this.tenant.userId);
  }

  /**
   * Mails each mentioned address that belongs to a member who can see the prompt (anyone for an
   * organization prompt, only its author for a private one). Unknown addresses and the commenter
   * are skipped silently. Mails go out only after the comment is committed.
   */
  private async notifyMentions(prompt: PromptRef, emails: string[], content: string): Promise<void> {
    if (!emails.length) return;
    const { organizationId, userId } = this.tenant;
    const recipients: Array<{ email: string; name: string }> = await this.em.query(
      `SELECT u.email, u.name FROM users u
         JOIN memberships m ON m.user_id = u.id AND m.organization_id = $1
        WHERE lower(u.email) = ANY($2::text[]) AND u.id <> $3 AND ($4 = 'organization' OR u.id = $5)`,
      [organizationId, emails, userId, prompt.visibility, prompt.author_id],
    );
    if (!recipients.length) return;
    const [me]: Array<{ name: string; email: string }> = await this.em.query(
      `SELECT name, email FROM users WHERE id = $1`,
      [userId],
    );
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
