import { RequestContext } from '../../common/context/request-context';
import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';

export interface PublishInput {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload?: Record<string, unknown>;
  /** Defaults to the organization of the current tenant transaction. */
  organizationId?: string;
}

const NUDGED = Symbol('outbox-nudged');
/** Rows per INSERT statement. */
const INSERT_CHUNK = 1000;

/**
 * Writes outbox rows inside the caller's tenant transaction, so a change and its event commit
 * or roll back together, then nudges a drain job after commit. If the nudge fails (Redis down),
 * the row waits in the database and the sweeper enqueues it later.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly queue: JobQueue,
    private readonly context: RequestContext,
  ) {}

  async publish(input: PublishInput): Promise<void> {
    await this.publishMany([input]);
  }

  /**
   * Many rows in few statements (a tag rename touches every prompt that carries it); same
   * transaction and delivery guarantees as `publish`.
   */
  async publishMany(inputs: PublishInput[]): Promise<void> {
    if (!inputs.length) return;
    const fallback = this.transactions.scope.organizationId;
    const rows = inputs.map((input) => {
      const organizationId = input.organizationId ?? fallback;
      if (!organizationId) throw new Error('OutboxService.publish needs an organization');
      return { ...input, organizationId };
    });
    // One array per column (not a placeholder per value, nor TypeORM's save, which cost more CPU
    // in the API than the insert in the database for an import's batch); created_at keeps its
    // default (clock_timestamp(), the time webhooks measure delivery from).
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await this.transactions.manager.query(
        `INSERT INTO outbox_events (organization_id, type, aggregate_type, aggregate_id, payload)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
        [
          chunk.map((r) => r.organizationId),
          chunk.map((r) => r.type),
          chunk.map((r) => r.aggregateType),
          chunk.map((r) => r.aggregateId),
          chunk.map((r) => JSON.stringify(r.payload ?? {})),
        ],
      );
    }
    // One drain job per organization and transaction is enough, however many rows it wrote.
    const nudged = this.context.local(NUDGED, () => new Set<string>()) ?? new Set<string>();
    for (const organizationId of new Set(rows.map((r) => r.organizationId))) {
      if (nudged.has(organizationId)) continue;
      nudged.add(organizationId);
      this.transactions.afterCommit(() => this.queue.add(QueueName.Outbox, 'drain', { organizationId }));
    }
  }
}
