import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorType } from '../../../common/context/request-context';

/** One link of an organization's tamper-evident audit chain. Rows are only ever inserted. */
@Entity({ name: 'audit_events' })
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  /** Position in the organization's chain, from 1 without gaps. bigint arrives as a string from pg. */
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  seq: number;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('text', { name: 'actor_type' })
  actorType: ActorType;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  /**
   * Version 1 rows only: version 2 keeps the personal fields (e-mail, ip, user agent) in
   * `audit_event_personal`; `AuditQueryService` fills them in here when it reads events.
   */
  @Column('text', { name: 'actor_email', nullable: true })
  actorEmail: string | null;

  @Column('text')
  action: string;

  @Column('text', { name: 'target_type' })
  targetType: string;

  @Column('text', { name: 'target_id', nullable: true })
  targetId: string | null;

  @Column('text', { nullable: true })
  ip: string | null;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Column('text', { name: 'request_id', nullable: true })
  requestId: string | null;

  @Column('jsonb', { nullable: true })
  changes: Record<string, unknown> | null;

  /** Hash format: 1 personal fields hashed in clear, 2 a salted commitment (`personalHash`). */
  @Column('smallint', { name: 'hash_version', default: 2 })
  hashVersion: number;

  /** Version 2: sha256(salt + canonical {actorEmail, ip, userAgent}); null when there were none. */
  @Column('text', { name: 'personal_hash', nullable: true })
  personalHash: string | null;

  /** Not a column: the salt of the personal values when still held, null once erased. */
  personalSalt?: string | null;

  @Column('text', { name: 'prev_hash' })
  prevHash: string;

  @Column('text')
  hash: string;
}
