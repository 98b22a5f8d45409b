import { RequestContext } from '../../common/context/request-context';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import type { Actor } from '../../common/context/request-context';
import { UUID } from '../../authz/credentials';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import {
  chainHash,
  ChainedFields,
  CURRENT_HASH_VERSION,
  GENESIS_HASH,
  hasPersonal,
  PersonalFields,
  personalCommitment,
} from './audit-chain';
import { AuditEvent } from './entities/audit-event.entity';

/** Copies whose `changes` were replaced by `REDACTED_CHANGES` (their hash cannot be recomputed). */
const REDACTED = new WeakSet<AuditEvent>();
export const isRedacted = (e: AuditEvent): boolean => REDACTED.has(e);

export interface RecordAuditInput {
  action: string;
  target: { type: string; id?: string | null };
  changes?: Record<string, unknown> | null;
  /** Defaults to the current tenant's organization. */
  organizationId?: string;
  /** Defaults to the request's actor (or `system` outside requests). */
  actor?: Actor;
  /**
   * Leave out the request's IP address and user agent (e.g. `user.erased`, which must not record
   * again the personal data it erased).
   */
  withoutRequestMeta?: boolean;
}

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
/** Events per INSERT statement in `recordMany` (17 parameters each). */
const AUDIT_INSERT_CHUNK = 1000;
const isSeqCursor = (v: unknown): v is { seq: number } =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as { seq: unknown }).seq);

/**
 * The audit trail: append-only, one hash chain per organization. Recording happens inside the
 * caller's tenant transaction, so an action and its audit row commit or vanish together; an
 * advisory lock per organization serializes appends so the chain never forks.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly context: RequestContext,
  ) {}

  async record(input: RecordAuditInput): Promise<AuditEvent> {
    const em = this.transactions.manager;
    const organizationId = input.organizationId ?? this.transactions.scope.organizationId;
    if (!organizationId) throw new Error('AuditService.record needs an organization');
    const actor = input.actor ?? this.context.actor;

    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7301))`, [`audit:${organizationId}`]);
    const [last]: Array<{ seq: string; hash: string }> = await em.query(
      `SELECT seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1`,
      [organizationId],
    );
    const prevHash = last?.hash ?? GENESIS_HASH;
    const { event, personal, salt } = this.link(
      input,
      organizationId,
      actor,
      last ? Number(last.seq) : 0,
      prevHash,
    );
    const saved = await em.save(event);
    if (salt) await this.insertPersonal([{ event: saved, personal, salt, actor }]);
    return Object.assign(saved, personal, { personalSalt: salt });
  }

  /**
   * Many events of the current organization in order, as `record` would append them one by one
   * (same chain, same personal-data rows), but with one lock, one read of the chain's end and
   * multi-row inserts: a bulk import records one `prompt.created` per prompt without a round trip
   * per event. Answers nothing; the events are in the transaction.
   */
  async recordMany(inputs: Array<Omit<RecordAuditInput, 'organizationId'>>): Promise<void> {
    if (!inputs.length) return;
    const em = this.transactions.manager;
    const organizationId = this.transactions.scope.organizationId;
    if (!organizationId) throw new Error('AuditService.recordMany needs an organization');
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7301))`, [`audit:${organizationId}`]);
    const [last]: Array<{ seq: string; hash: string }> = await em.query(
      `SELECT seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1`,
      [organizationId],
    );
    let seq = last ? Number(last.seq) : 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const links = inputs.map((input) => {
      const actor = input.actor ?? this.context.actor;
      const link = this.link(input, organizationId, actor, seq++, prevHash);
      prevHash = link.event.hash;
      return { ...link, actor };
    });
    for (let i = 0; i < links.length; i += AUDIT_INSERT_CHUNK) {
      const chunk = links.slice(i, i + AUDIT_INSERT_CHUNK);
      const result = await em.insert(
        AuditEvent,
        chunk.map((l) => l.event) as QueryDeepPartialEntity<AuditEvent>[],
      );
      chunk.forEach((l, j) => (l.event.id = (result.identifiers[j] as { id: string }).id));
      const personal = chunk.filter((l) => l.salt) as Array<(typeof chunk)[number] & { salt: string }>;
      if (personal.length) await this.insertPersonal(personal);
    }
  }

  /** The next link of the chain after `prevSeq`/`prevHash` (not saved). */
  private link(
    input: RecordAuditInput,
    organizationId: string,
    actor: Actor,
    prevSeq: number,
    prevHash: string,
  ): { event: AuditEvent; personal: PersonalFields; salt: string | null } {
    const em = this.transactions.manager;
    const meta = input.withoutRequestMeta ? null : this.context.meta;
    const personal: PersonalFields = {
      actorEmail: actor.email ?? null,
      ip: meta?.ip ?? null,
      userAgent: meta?.userAgent ?? null,
    };
    const salt = hasPersonal(personal) ? randomBytes(16).toString('hex') : null;
    const fields: ChainedFields = {
      organizationId,
      seq: prevSeq + 1,
      occurredAt: new Date(),
      actorType: actor.type,
      actorId: actor.id,
      // Version 2: the personal fields live in audit_event_personal, only their commitment is hashed.
      actorEmail: null,
      action: input.action,
      targetType: input.target.type,
      targetId: input.target.id ?? null,
      ip: null,
      userAgent: null,
      requestId: this.context.meta.requestId,
      // Stored as jsonb: hash exactly what will be read back.
      changes: input.changes ? (JSON.parse(JSON.stringify(input.changes)) as Record<string, unknown>) : null,
      hashVersion: CURRENT_HASH_VERSION,
      personalHash: salt ? personalCommitment(salt, personal) : null,
    };
    const event = em.create(AuditEvent, { ...fields, prevHash, hash: chainHash(prevHash, fields) });
    return { event, personal, salt };
  }

  /** The personal-data rows of saved events (their commitments are in the events' hashes). */
  private async insertPersonal(
    rows: Array<{ event: AuditEvent; personal: PersonalFields; salt: string; actor: Actor }>,
  ): Promise<void> {
    const params: unknown[] = [];
    const tuples = rows.map((r) => {
      const base = params.length;
      params.push(
        r.event.id,
        r.event.organizationId,
        r.event.seq,
        this.subjectOf(r.actor),
        r.personal.actorEmail,
        r.personal.ip,
        r.personal.userAgent,
        r.salt,
      );
      return `(${Array.from({ length: 8 }, (_, j) => `$${base + j + 1}`).join(', ')})`;
    });
    await this.transactions.manager.query(
      `INSERT INTO audit_event_personal (event_id, organization_id, seq, subject_id, actor_email, ip, user_agent, salt)
       VALUES ${tuples.join(', ')}`,
      params,
    );
  }

  /**
   * Erases the personal data (e-mail, IP, user agent and the salt of their commitment) of every
   * event of the current organization whose actor is `userId` (or one of their API keys). The
   * chain still verifies: only the commitment is hashed. The database function refuses while
   * `userId` is a member of the organization. Returns how many events lost personal data.
   */
  async erasePersonal(userId: string): Promise<number> {
    const [row]: Array<{ erased: string }> = await this.transactions.manager.query(
      `SELECT app_audit_erase_personal($1) AS erased`,
      [userId],
    );
    return Number(row.erased);
  }

  /**
   * The organizations holding personal audit data of the transaction's own user (`app.user_id`),
   * members or not: the organizations their erasure must visit.
   */
  async organizationsWithOwnPersonalData(): Promise<string[]> {
    const rows: Array<{ organization_id: string }> = await this.transactions.manager.query(
      // audit_event_personal_own_read: a user reads their own rows in every organization.
      `SELECT DISTINCT organization_id FROM audit_event_personal WHERE subject_id = app_user_id()`,
    );
    return rows.map((r) => r.organization_id);
  }

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

  /** The user whose personal data an event's actor fields are: the user, or an API key's owner. */
  private subjectOf(actor: Actor): string | null {
    if (actor.type === 'user') return actor.id;
    if (actor.type === 'api_key') return this.context.principalOrNull?.userId ?? null;
    return null;
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
