import { Processor, WorkerHost } from '@nestjs/bullmq';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { JobData, QueueJob, QueueName, WORKER_OPTIONS } from '../../queue/queue.constants';
import { OutboxConsumers, OutboxMessage } from './outbox-consumers';

const BATCH = 100;
const MAX_BATCHES_PER_JOB = 50;

interface OutboxRow {
  id: string;
  organization_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * The outbox queue's processor: drains an organization's outbox into the registered consumers,
 * in the order they were written (`seq`). A consumer failure stops the batch (keeping order), records the error on the row
 * and fails the job so the queue retries it with backoff. Rows that were never nudged are
 * re-enqueued by the OutboxSweeper.
 */
@Processor(QueueName.Outbox, WORKER_OPTIONS)
export class OutboxProcessor extends WorkerHost {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly consumers: OutboxConsumers,
    private readonly queue: JobQueue,
  ) {
    super();
  }

  async process(job: QueueJob<JobData>): Promise<void> {
    await this.drain(job.data.organizationId);
  }

  async drain(organizationId: string): Promise<void> {
    for (let i = 0; i < MAX_BATCHES_PER_JOB; i++) {
      const { delivered, failure } = await this.transactions.run(
        { organizationId, userId: null },
        async (em) => {
          const rows: OutboxRow[] = await em.query(
            `SELECT id, organization_id, type, aggregate_type, aggregate_id, payload, created_at
             FROM outbox_events
            WHERE organization_id = $1 AND processed_at IS NULL
            ORDER BY seq
            LIMIT $2
              FOR UPDATE SKIP LOCKED`,
            [organizationId, BATCH],
          );
          // Delivered rows are marked together, in one statement, once the batch stops: at its end,
          // or before the row that failed (which keeps its place in the order and is retried).
          const delivered: string[] = [];
          const markDelivered = async () => {
            if (!delivered.length) return;
            await em.query(
              `UPDATE outbox_events SET processed_at = clock_timestamp(), attempts = attempts + 1
                WHERE id = ANY($1::uuid[])`,
              [delivered],
            );
          };
          for (const row of rows) {
            const message: OutboxMessage = {
              id: row.id,
              organizationId: row.organization_id,
              type: row.type,
              aggregateType: row.aggregate_type,
              aggregateId: row.aggregate_id,
              payload: row.payload,
              createdAt: row.created_at,
            };
            try {
              for (const consumer of this.consumers.for(row.type)) await consumer.handle(message);
            } catch (err) {
              const failure = err instanceof Error ? err : new Error(JSON.stringify(err));
              await markDelivered();
              await em.query(
                `UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
                [row.id, failure.message.slice(0, 2000)],
              );
              return { delivered: delivered.length, failure };
            }
            delivered.push(row.id);
          }
          await markDelivered();
          return { delivered: delivered.length, failure: undefined };
        },
      );
      if (failure) throw failure;
      if (delivered < BATCH) return;
    }
    // A very long backlog: hand the rest to a fresh job instead of holding this one.
    await this.queue.add(QueueName.Outbox, 'drain', { organizationId });
  }
}
