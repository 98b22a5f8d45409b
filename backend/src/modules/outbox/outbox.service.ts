import { RequestContext } from '../../common/context/request-context';
import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';
import { OutboxEvent } from './entities/outbox-event.entity';

export interface PublishInput {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload?: Record<string, unknown>;
  /** Defaults to the organization of the current tenant transaction. */
  organizationId?: string;
}

const NUDGED = Symbol('outbox-nudged');
/** Rows per INSERT statement (well under PostgreSQL's 65535 bind parameters). */
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
    const em = this.transactions.manager;
    const rows = inputs.map((input) => {
      const organizationId = input.organizationId ?? fallback;
      if (!organizationId) throw new Error('OutboxService.publish needs an organization');
      return em.create(OutboxEvent, {
        organizationId,
        type: input.type,
        aggregateType: input.aggregateType,
        aggregateId: input.aggregateId,
        payload: input.payload ?? {},
      });
    });
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await em.save(rows.slice(i, i + INSERT_CHUNK));
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
