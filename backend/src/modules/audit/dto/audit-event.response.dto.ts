import type { ActorType } from '../../../common/context/request-context';
import type { AuditEvent } from '../entities/audit-event.entity';

export class AuditActorDto {
  /** user, api_key or system. */
  type: ActorType;
  id: string | null;
  email?: string | null;
}

export class AuditTargetDto {
  type: string;
  id: string | null;
}

export class AuditEventResponseDto {
  id: string;
  /** Position in the organization's hash chain. */
  seq: number;
  occurredAt: string;
  actor: AuditActorDto;
  /** Dotted action name, e.g. `prompt.updated`. */
  action: string;
  target: AuditTargetDto;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes?: Record<string, unknown> | null;
  /**
   * The hash format (docs/compliance.md#the-hash-algorithm): 1 hashes `actor.email`, `ip` and
   * `userAgent` in clear; 2 hashes `personalHash` instead, so they can be erased (GDPR).
   */
  hashVersion: number;
  /**
   * Version 2: hex sha256 of `personalSalt` followed by the canonical JSON of
   * `{actorEmail, ip, userAgent}`; null when the event had none (and always null in version 1).
   */
  personalHash: string | null;
  /**
   * Version 2: the salt (hex) of `personalHash` while the personal values are held; null once they
   * were erased (then `actor.email`, `ip` and `userAgent` are null and cannot be recovered).
   */
  personalSalt: string | null;
  /** sha256(prevHash + canonical row), hex. */
  hash: string;
  prevHash: string;

  static from(e: AuditEvent): AuditEventResponseDto {
    return {
      id: e.id,
      seq: e.seq,
      occurredAt: e.occurredAt.toISOString(),
      actor: { type: e.actorType, id: e.actorId, email: e.actorEmail },
      action: e.action,
      target: { type: e.targetType, id: e.targetId },
      ip: e.ip,
      userAgent: e.userAgent,
      requestId: e.requestId,
      changes: e.changes,
      hashVersion: e.hashVersion,
      personalHash: e.personalHash,
      personalSalt: e.personalSalt ?? null,
      hash: e.hash,
      prevHash: e.prevHash,
    };
  }
}

export class AuditEventPageDto {
  items: AuditEventResponseDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class AuditVerifyResponseDto {
  /** Whether every link of the chain is intact. */
  valid: boolean;
  /** Rows checked. */
  checked: number;
  /** The first seq whose link is broken (only when valid is false). */
  brokenAtSeq?: number;
  /**
   * Present once retention deleted old events: the last deleted seq, from the signed checkpoint the
   * walk started from (its signature is checked too).
   */
  checkpointSeq?: number;
}

export class AuditPublicKeyResponseDto {
  /** Always `Ed25519`. */
  algorithm: 'Ed25519';
  /** The public key of AUDIT_SIGNING_KEY, SPKI PEM. */
  publicKey: string;
}

export class AuditRetentionResponseDto {
  /** The organization's retention in days; null = the plan's maximum (unlimited where the plan has none). */
  days: number | null;
  /** The plan's bound in days (null = unlimited). */
  planMaxDays: number | null;
  /** The retention that applies now: `days`, or the plan's bound when `days` is null (null = keep everything). */
  effectiveDays: number | null;
}
