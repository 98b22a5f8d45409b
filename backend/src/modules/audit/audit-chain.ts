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

/** hash = sha256(prevHash + canonical row), hex. */
export function chainHash(prevHash: string, row: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(row)).digest('hex');
}

export type ChainVerdict =
  { valid: true; checked: number } | { valid: false; brokenAtSeq: number; checked: number };

/**
 * Checks one page of a chain given the hash and seq that precede it. Returns the first broken
 * seq: a gap or reordering, a prevHash that does not point at its predecessor, or a row whose
 * content no longer matches its hash.
 */
export function verifySegment(
  rows: Array<ChainedFields & { prevHash: string; hash: string }>,
  previous: { seq: number; hash: string },
): { brokenAtSeq: number | null; last: { seq: number; hash: string } } {
  let last = previous;
  for (const row of rows) {
    if (row.seq !== last.seq + 1 || row.prevHash !== last.hash || chainHash(row.prevHash, row) !== row.hash) {
      return { brokenAtSeq: row.seq !== last.seq + 1 ? last.seq + 1 : row.seq, last };
    }
    last = { seq: row.seq, hash: row.hash };
  }
  return { brokenAtSeq: null, last };
}
