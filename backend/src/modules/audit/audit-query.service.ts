import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UUID } from '../../authz/credentials';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditEvent } from './entities/audit-event.entity';

/** Copies whose `changes` were replaced by `REDACTED_CHANGES` (their hash cannot be recomputed). */
const REDACTED = new WeakSet<AuditEvent>();
export const isRedacted = (e: AuditEvent): boolean => REDACTED.has(e);

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Case-insensitive text searched in the serialized `changes`. */
  q?: string;
}

/** What a redacted event shows instead of its `changes`. */
export const REDACTED_CHANGES = Object.freeze({ redacted: 'private_prompt' });

/** The prompt an event is about, if any: its target, or the prompt of a comment event. */
function promptOf(e: AuditEvent): string | null {
  if (e.targetType === 'prompt') return e.targetId;
  const promptId = e.changes?.promptId;
  return e.targetType === 'comment' && typeof promptId === 'string' ? promptId : null;
}

const isSeqCursor = (v: unknown): v is { seq: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { seq: unknown }).seq);

/**
 * Reading the audit trail (events recorded by `AuditService`): pages and export batches as a
 * viewer may read them (private prompts redacted), a user's own events (GDPR export), and the
 * personal fields held apart from the chained rows.
 */
@Injectable()
export class AuditQueryService {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Fills in the personal fields (and their salt) of version-2 rows from `audit_event_personal`;
   * erased ones stay null. Mutates and returns `rows` (read copies, never saved again).
   */
  async withPersonal<T extends AuditEvent>(organizationId: string, rows: T[]): Promise<T[]> {
    const ids = rows.filter((r) => r.hashVersion !== 1 && r.personalHash).map((r) => r.id);
    const found = new Map<
      string,
      { actor_email: string | null; ip: string | null; user_agent: string | null; salt: string }
    >();
    if (ids.length) {
      const personal: Array<{
        event_id: string;
        actor_email: string | null;
        ip: string | null;
        user_agent: string | null;
        salt: string;
      }> = await this.transactions.manager.query(
        `SELECT event_id, actor_email, ip, user_agent, salt FROM audit_event_personal
          WHERE organization_id = $1 AND event_id = ANY ($2::uuid[])`,
        [organizationId, ids],
      );
      for (const p of personal) found.set(p.event_id, p);
    }
    for (const r of rows) {
      if (r.hashVersion === 1) continue;
      const p = found.get(r.id);
      r.personalSalt = p?.salt ?? null;
      // A value in the row itself (only the schema owner could have put it there) still shows.
      r.actorEmail ??= p?.actor_email ?? null;
      r.ip ??= p?.ip ?? null;
      r.userAgent ??= p?.user_agent ?? null;
    }
    return rows;
  }

  /**
   * A page of events, newest first, as `viewerId` may read them: events about a private prompt
   * show their `changes` (title, fields, …) to its author only (see `redactPrivate`).
   */
  async list(
    organizationId: string,
    viewerId: string,
    filter: AuditFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<AuditEvent>> {
    const qb = this.transactions.manager
      .createQueryBuilder(AuditEvent, 'e')
      .where('e.organizationId = :organizationId', { organizationId })
      .orderBy('e.seq', 'DESC')
      .take(limit + 1);
    this.applyFilter(qb, filter);
    if (cursor) qb.andWhere('e.seq < :seq', { seq: decodeCursor(cursor, isSeqCursor).seq });
    const rows = await this.redactPrivate(
      organizationId,
      viewerId,
      await this.withPersonal(organizationId, await qb.getMany()),
    );
    const page = toPage(
      rows,
      limit,
      (r) => ({ seq: r.seq }),
      (r) => r,
    );
    // A text match inside changes the viewer may not read would tell what they hold: such rows are
    // left out (the cursor still continues after them, so a page may hold fewer than `limit`).
    return filter.q ? { ...page, items: page.items.filter((e) => !isRedacted(e)) } : page;
  }

  /** Streams matching events oldest first in batches (exports), redacted for `viewerId` as `list` is. */
  async *iterate(
    organizationId: string,
    viewerId: string,
    filter: AuditFilter,
    batch = 1000,
  ): AsyncGenerator<AuditEvent[]> {
    let after = 0;
    for (;;) {
      const qb = this.transactions.manager
        .createQueryBuilder(AuditEvent, 'e')
        .where('e.organizationId = :organizationId', { organizationId })
        .andWhere('e.seq > :after', { after })
        .orderBy('e.seq', 'ASC')
        .take(batch);
      this.applyFilter(qb, filter);
      const rows = await this.withPersonal(organizationId, await qb.getMany());
      if (rows.length) {
        const visible = await this.redactPrivate(organizationId, viewerId, rows);
        yield filter.q ? visible.filter((e) => !isRedacted(e)) : visible;
      }
      if (rows.length < batch) return;
      after = rows[rows.length - 1].seq;
    }
  }

  /**
   * Every event of the organization whose actor is one of `actorIds` (a user and their API keys),
   * oldest first, with the personal fields still held: a user's own audit events (GDPR export).
   */
  async eventsOfActors(organizationId: string, actorIds: string[]): Promise<AuditEvent[]> {
    if (!actorIds.length) return [];
    const rows = await this.transactions.manager
      .createQueryBuilder(AuditEvent, 'e')
      .where('e.organizationId = :organizationId', { organizationId })
      .andWhere('e.actorId IN (:...actorIds)', { actorIds })
      .orderBy('e.seq', 'ASC')
      .getMany();
    return this.withPersonal(organizationId, rows);
  }

  /**
   * Copies of `rows` in which events about another user's private prompt carry `REDACTED_CHANGES`
   * instead of their `changes`. Decided at read time, by the prompt's current visibility and
   * author, or for a deleted prompt by what its `prompt.deleted` event recorded; the stored rows
   * (and so the hash chain, which `verify` checks on them) are never touched. The hashes shown
   * are those of the stored rows: a redacted event cannot be re-hashed by the reader.
   */
  private async redactPrivate(
    organizationId: string,
    viewerId: string,
    rows: AuditEvent[],
  ): Promise<AuditEvent[]> {
    const ids = [...new Set(rows.map(promptOf).filter((id): id is string => !!id && UUID.test(id)))];
    if (!ids.length) return rows;
    const em = this.transactions.manager;
    const authors = new Map<string, string | null>();
    const live: Array<{ id: string; author_id: string | null }> = await em.query(
      `SELECT id, author_id FROM app_private_prompt_authors($1::uuid[])`,
      [ids],
    );
    for (const r of live) authors.set(r.id, r.author_id);
    const visible = await this.visiblePrompts(ids);
    const gone = ids.filter((id) => !authors.has(id) && !visible.has(id));
    if (gone.length) {
      const deleted: Array<{ target_id: string; author_id: string | null }> = await em.query(
        `SELECT DISTINCT ON (target_id) target_id, changes->>'authorId' AS author_id
           FROM audit_events
          WHERE organization_id = $1 AND action = 'prompt.deleted' AND target_type = 'prompt'
            AND target_id = ANY ($2::text[]) AND changes->>'visibility' = 'private'
          ORDER BY target_id, seq DESC`,
        [organizationId, gone],
      );
      for (const r of deleted) authors.set(r.target_id, r.author_id);
    }
    return rows.map((e) => {
      const promptId = promptOf(e);
      if (!promptId || !authors.has(promptId) || authors.get(promptId) === viewerId) return e;
      const copy = { ...e, changes: { ...REDACTED_CHANGES } };
      REDACTED.add(copy);
      return copy;
    });
  }

  /** Which of these prompts exist and the reader can see (row-level security decides). */
  private async visiblePrompts(ids: string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await this.transactions.manager.query(
      `SELECT id FROM prompts WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  private applyFilter(qb: ReturnType<EntityManager['createQueryBuilder']>, f: AuditFilter): void {
    if (f.actor) qb.andWhere('e.actorId = :actor', { actor: f.actor });
    if (f.action) {
      // `prompt.*` matches a whole family of actions.
      if (f.action.endsWith('.*'))
        qb.andWhere("e.action LIKE :action ESCAPE '\\'", {
          action: `${f.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`,
        });
      else qb.andWhere('e.action = :action', { action: f.action });
    }
    if (f.targetType) qb.andWhere('e.targetType = :targetType', { targetType: f.targetType });
    if (f.targetId) qb.andWhere('e.targetId = :targetId', { targetId: f.targetId });
    if (f.from) qb.andWhere('e.occurredAt >= :from', { from: f.from });
    if (f.to) qb.andWhere('e.occurredAt < :to', { to: f.to });
    if (f.q)
      qb.andWhere("CAST(e.changes AS text) ILIKE :q ESCAPE '\\'", {
        q: `%${f.q.replace(/[\\%_]/g, '\\$&')}%`,
      });
  }
}
