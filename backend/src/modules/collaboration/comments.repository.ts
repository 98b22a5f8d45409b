import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** A row of `comments`: the one definition of a comment's shape. */
export interface CommentRecord {
  id: string;
  prompt_id: string;
  parent_id: string | null;
  author_id: string | null;
  content: string;
  created_at: Date;
  updated_at: Date;
  /** Deleting is soft: the thread keeps its shape, the content is no longer shown. */
  deleted_at: Date | null;
}

/** A comment as answered: with its author's name and the text of created_at its cursor keeps. */
export interface CommentRow extends CommentRecord {
  cursor_at: string;
  author_name: string | null;
  author_email: string | null;
}

const COLUMNS = 'id, prompt_id, parent_id, author_id, content, created_at, updated_at, deleted_at';

const SELECT = `
  SELECT c.id, c.prompt_id, c.parent_id, c.author_id, c.content, c.created_at, c.updated_at, c.deleted_at,
         c.created_at::text AS cursor_at, u.name AS author_name, u.email AS author_email
    FROM comments c
    LEFT JOIN users u ON u.id = c.author_id`;

/** Threaded comments on prompts, and the members a mention may notify. */
@Injectable()
export class CommentsRepository {
  constructor(private readonly transactions: TenantTransactions) {}

  private get em(): EntityManager {
    return this.transactions.manager;
  }

  /** Oldest first after a (created_at text, id) cursor; one row more than `limit`. */
  page(promptId: string, limit: number, after?: { at: string; id: string }): Promise<CommentRow[]> {
    const params: unknown[] = [promptId, limit + 1];
    if (after) params.push(after.at, after.id);
    return this.em.query<CommentRow[]>(
      `${SELECT} WHERE c.prompt_id = $1 ${after ? 'AND (c.created_at, c.id) > ($3::timestamptz, $4::uuid)' : ''}
        ORDER BY c.created_at, c.id LIMIT $2`,
      params,
    );
  }

  async view(id: string): Promise<CommentRow | undefined> {
    const [row] = await this.em.query<CommentRow[]>(`${SELECT} WHERE c.id = $1`, [id]);
    return row;
  }

  /** Row-level security hides comments of prompts the caller cannot see. */
  async find(organizationId: string, id: string): Promise<CommentRecord | undefined> {
    const [row] = await this.em.query<CommentRecord[]>(
      `SELECT ${COLUMNS} FROM comments WHERE id = $1 AND organization_id = $2`,
      [id, organizationId],
    );
    return row;
  }

  async insert(values: {
    organizationId: string;
    promptId: string;
    parentId: string | null;
    authorId: string;
    content: string;
  }): Promise<string> {
    const [row] = await this.em.query<Array<{ id: string }>>(
      `INSERT INTO comments (organization_id, prompt_id, parent_id, author_id, content)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [values.organizationId, values.promptId, values.parentId, values.authorId, values.content],
    );
    return row.id;
  }

  async updateContent(id: string, content: string): Promise<void> {
    await this.em.query(`UPDATE comments SET content = $2, updated_at = now() WHERE id = $1`, [id, content]);
  }

  async softDelete(id: string): Promise<void> {
    await this.em.query(`UPDATE comments SET deleted_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Members of the organization with one of these (lower-case) addresses who can see the prompt:
   * anyone for an organization prompt, only its author for a private one; never `exceptUserId`.
   */
  mentionable(
    organizationId: string,
    emails: string[],
    exceptUserId: string,
    prompt: { visibility: string; author_id: string | null },
  ): Promise<Array<{ email: string; name: string }>> {
    return this.em.query(
      `SELECT u.email, u.name FROM users u
         JOIN memberships m ON m.user_id = u.id AND m.organization_id = $1
        WHERE lower(u.email) = ANY($2::text[]) AND u.id <> $3 AND ($4 = 'organization' OR u.id = $5)`,
      [organizationId, emails, exceptUserId, prompt.visibility, prompt.author_id],
    );
  }

  async userName(userId: string): Promise<{ name: string; email: string } | undefined> {
    const [me] = await this.em.query<Array<{ name: string; email: string }>>(
      `SELECT name, email FROM users WHERE id = $1`,
      [userId],
    );
    return me;
  }
}
