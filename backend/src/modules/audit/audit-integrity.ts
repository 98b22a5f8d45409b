import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { ChainVerdict, GENESIS_HASH, verifySegment } from './audit-chain';
import { AuditSigner } from './audit-signer';
import { AuditQueryService } from './audit-query.service';
import { AuditEvent } from './entities/audit-event.entity';

const VERIFY_BATCH = 1000;

/**
 * A retention checkpoint: the last event deleted by retention (docs/compliance.md#retention). The
 * signature is over the UTF-8 bytes of `JSON.stringify(payload)`, keys in this order.
 */
export interface CheckpointPayload {
  organizationId: string;
  seq: number;
  hash: string;
  createdAt: string;
}
export interface AuditCheckpoint {
  payload: CheckpointPayload;
  signature: string;
  deletedCount: number;
}
export const checkpointPayload = (
  organizationId: string,
  seq: number,
  hash: string,
  createdAt: Date,
): CheckpointPayload => ({ organizationId, seq, hash, createdAt: createdAt.toISOString() });

/**
 * The integrity of an organization's audit trail: the signed retention checkpoint and the walk
 * that verifies the hash chain from it (`GET /audit-events/verify`). Recording events is
 * AuditService's, reading them AuditQueryService's.
 */
@Injectable()
export class AuditIntegrity {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly events: AuditQueryService,
    private readonly signer: AuditSigner,
  ) {}

  /** The organization's retention checkpoint, if retention ever deleted events. */
  async checkpoint(organizationId: string): Promise<AuditCheckpoint | null> {
    const [row]: Array<{
      seq: string;
      hash: string;
      signature: string;
      deleted_count: string;
      created_at: Date;
    }> = await this.transactions.manager.query(
      `SELECT seq, hash, signature, deleted_count, created_at FROM audit_checkpoints WHERE organization_id = $1`,
      [organizationId],
    );
    if (!row) return null;
    return {
      payload: checkpointPayload(organizationId, Number(row.seq), row.hash, row.created_at),
      signature: row.signature,
      deletedCount: Number(row.deleted_count),
    };
  }

  /**
   * Walks the chain in seq order and reports the first broken link. After retention deleted old
   * events the walk starts from the signed checkpoint (the last deleted seq and hash); a checkpoint
   * whose signature does not hold breaks the chain at the first event after it.
   */
  async verify(organizationId: string): Promise<ChainVerdict & { checkpointSeq?: number }> {
    const em: EntityManager = this.transactions.manager;
    const checkpoint = await this.checkpoint(organizationId);
    let previous = { seq: 0, hash: GENESIS_HASH };
    const extra = checkpoint ? { checkpointSeq: checkpoint.payload.seq } : {};
    if (checkpoint) {
      if (!this.signer.verifyText(JSON.stringify(checkpoint.payload), checkpoint.signature))
        return { valid: false, brokenAtSeq: checkpoint.payload.seq + 1, checked: 0, ...extra };
      previous = { seq: checkpoint.payload.seq, hash: checkpoint.payload.hash };
    }
    let checked = 0;
    for (;;) {
      const rows = await em
        .createQueryBuilder(AuditEvent, 'e')
        .where('e.organizationId = :organizationId', { organizationId })
        .andWhere('e.seq > :after', { after: previous.seq })
        .orderBy('e.seq', 'ASC')
        .take(VERIFY_BATCH)
        .getMany();
      const { brokenAtSeq, last } = verifySegment(
        await this.events.withPersonal(organizationId, rows),
        previous,
      );
      checked += brokenAtSeq === null ? rows.length : last.seq - previous.seq;
      if (brokenAtSeq !== null) return { valid: false, brokenAtSeq, checked, ...extra };
      if (rows.length < VERIFY_BATCH) return { valid: true, checked, ...extra };
      previous = last;
    }
  }
}
