import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../common/context/request-context';
import type { Actor } from '../../common/context/request-context';
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

/** Events per INSERT statement in `recordMany` (one array parameter per column). */
const AUDIT_INSERT_CHUNK = 1000;

/**
 * The audit trail: append-only, one hash chain per organization. Recording happens inside the
 * caller's tenant transaction, so an action and its audit row commit or vanish together; an
 * advisory lock per organization serializes appends so the chain never forks.
 *
 * This is the writing side only; reading events is `AuditQueryService`'s, the GDPR erasure of
 * their personal data `AuditPersonalData`'s.
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

    await this.lockChain(organizationId);
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
    await this.lockChain(organizationId);
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
      await this.insertEvents(chunk.map((l) => l.event));
      const personal = chunk.filter((l) => l.salt) as Array<(typeof chunk)[number] & { salt: string }>;
      if (personal.length) await this.insertPersonal(personal);
    }
  }

  /**
   * The organization's chain lock, until the transaction ends: events are appended one writer at
   * a time, as `pv_lock_audit_chain` (migration 1764001900000) defines it. It is also
   * taken before the writes that concurrent changes of one organization share and hold until
   * commit (the search generation's row, new tag, category and collection names: writeName), so those are always taken in one
   * order and two changes wait for each other one way only, never in a deadlock.
   */
  async lockChain(organizationId: string): Promise<void> {
    await this.transactions.manager.query(`SELECT pv_lock_audit_chain($1)`, [organizationId]);
  }

  /**
   * Inserts linked events with one statement of one array per column (the ids are made here, so
   * nothing is read back): the same rows `em.insert` wrote, without building a statement of 17
   * placeholders per event, which cost more CPU in the API than the insert did in the database.
   */
  private async insertEvents(events: AuditEvent[]): Promise<void> {
    for (const e of events) e.id = randomUUID();
    const column = <T>(pick: (e: AuditEvent) => T): T[] => events.map(pick);
    await this.transactions.manager.query(
      `INSERT INTO audit_events (id, organization_id, seq, occurred_at, actor_type, actor_id, actor_email, action,
                                 target_type, target_id, ip, user_agent, request_id, changes, hash_version,
                                 personal_hash, prev_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::timestamptz[], $5::text[], $6::uuid[], $7::text[],
                            $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[],
                            $15::smallint[], $16::text[], $17::text[], $18::text[])`,
      [
        column((e) => e.id),
        column((e) => e.organizationId),
        column((e) => e.seq),
        column((e) => e.occurredAt.toISOString()),
        column((e) => e.actorType),
        column((e) => e.actorId),
        column((e) => e.actorEmail),
        column((e) => e.action),
        column((e) => e.targetType),
        column((e) => e.targetId),
        column((e) => e.ip),
        column((e) => e.userAgent),
        column((e) => e.requestId),
        column((e) => (e.changes === null ? null : JSON.stringify(e.changes))),
        column((e) => e.hashVersion),
        column((e) => e.personalHash),
        column((e) => e.prevHash),
        column((e) => e.hash),
      ],
    );
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

  /** The user whose personal data an event's actor fields are: the user, or an API key's owner. */
  private subjectOf(actor: Actor): string | null {
    if (actor.type === 'user') return actor.id;
    if (actor.type === 'api_key') return this.context.principalOrNull?.userId ?? null;
    return null;
  }
}
