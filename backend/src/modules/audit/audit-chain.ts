import { createHash } from 'node:crypto';
import type { ActorType } from '../../common/context/request-context';

/** The fields of an audit row that the hash covers, in their stored form. */
export interface ChainedFields {
  organizationId: string;
  seq: number;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: Record<string, unknown> | null;
  /**
   * 1 (absent): the personal fields above are hashed in clear. 2: they are not; `personalHash`
   * (a salted commitment to them, see `personalCommitment`) is hashed instead, so erasing the
   * personal values and their salt leaves the chain verifiable (docs/compliance.md#gdpr).
   */
  hashVersion?: number;
  /** Version 2: the commitment to `{actorEmail, ip, userAgent}`, or null when there were none. */
  personalHash?: string | null;
}

/** The personal part of an audit event (version 2 keeps it outside the hashed content). */
export interface PersonalFields {
  actorEmail: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** The hash format events are written with from now on. */
export const CURRENT_HASH_VERSION = 2;

export const hasPersonal = (p: PersonalFields): boolean =>
  p.actorEmail !== null || p.ip !== null || p.userAgent !== null;

/** personalHash = hex(sha256(salt + canonicalJson({actorEmail, ip, userAgent}))), salt in hex. */
export function personalCommitment(salt: string, p: PersonalFields): string {
  return createHash('sha256')
    .update(salt)
    .update(canonicalJson({ actorEmail: p.actorEmail, ip: p.ip, userAgent: p.userAgent }))
    .digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function canonicalRow(row: ChainedFields): string {
  if ((row.hashVersion ?? 1) !== 1)
    return canonicalJson({
      hashVersion: row.hashVersion,
      organizationId: row.organizationId,
      seq: row.seq,
      occurredAt: row.occurredAt.toISOString(),
      actorType: row.actorType,
      actorId: row.actorId,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      requestId: row.requestId,
      changes: row.changes,
      personalHash: row.personalHash ?? null,
    });
  return canonicalJson({
    organizationId: row.organizationId,
    seq: row.seq,
    occurredAt: row.occurredAt.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorEmail: row.actorEmail,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    changes: row.changes,
  });
}

/** hash = sha256(prevHash + canonical row), hex; the row's `hashVersion` picks the fields. */
export function chainHash(prevHash: string, row: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(row)).digest('hex');
}

export type ChainVerdict =
  { valid: true; checked: number } | { valid: false; brokenAtSeq: number; checked: number };

/**
 * Checks one page of a chain given the hash and seq that precede it. Returns the first broken
 * seq: a gap or reordering, a prevHash that does not point at its predecessor, a row whose
 * content no longer matches its hash, or (version 2) personal values that no longer match their
 * commitment. Erased personal values (no salt) are not checked: the commitment alone is hashed.
 */
export function verifySegment(
  rows: Array<ChainedFields & { prevHash: string; hash: string; personalSalt?: string | null }>,
  previous: { seq: number; hash: string },
): { brokenAtSeq: number | null; last: { seq: number; hash: string } } {
  let last = previous;
  for (const row of rows) {
    // Version 2 with its personal values still held: they must match the hashed commitment.
    const personalOk = !row.personalSalt || personalCommitment(row.personalSalt, row) === row.personalHash;
    if (
      row.seq !== last.seq + 1 ||
      row.prevHash !== last.hash ||
      chainHash(row.prevHash, row) !== row.hash ||
      !personalOk
    ) {
      return { brokenAtSeq: row.seq !== last.seq + 1 ? last.seq + 1 : row.seq, last };
    }
    last = { seq: row.seq, hash: row.hash };
  }
  return { brokenAtSeq: null, last };
}
