import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobHandlers } from '../../queue/job-handlers';
import { JobQueue } from '../../queue/job-queue';
import { JobData, QueueName } from '../../queue/queue.constants';
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
 * Drains an organization's outbox into the registered consumers, oldest first. A consumer failure
 * stops the batch (keeping order), records the error on the row and fails the job so the queue
 * retries it with backoff. A sweeper re-enqueues organizations whose rows were never nudged.
 */
@Injectable()
export class OutboxProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxProcessor.name);
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly handlers: JobHandlers,
    private readonly transactions: TenantTransactions,
    private readonly consumers: OutboxConsumers,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.handlers.register(QueueName.Outbox, (data) => this.drain(data));
  }

  /** Called by the process that runs workers. */
  startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => void this.sweep(), this.config.outboxSweepIntervalMs);
    this.sweeper.unref();
  }

  async drain({ organizationId }: JobData): Promise<void> {
    for (let i = 0; i < MAX_BATCHES_PER_JOB; i++) {
      const { delivered, failure } = await this.transactions.run(
        { organizationId, userId: null },
        async (em) => {
          const rows: OutboxRow[] = await em.query(
            `SELECT id, organization_id, type, aggregate_type, aggregate_id, payload, created_at
             FROM outbox_events
            WHERE organization_id = $1 AND processed_at IS NULL
            ORDER BY created_at, id
            LIMIT $2
              FOR UPDATE SKIP LOCKED`,
            [organizationId, BATCH],
          );
          let count = 0;
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
              await em.query(
                `UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
                [row.id, failure.message.slice(0, 2000)],
              );
              return { delivered: count, failure };
            }
            await em.query(
              `UPDATE outbox_events SET processed_at = clock_timestamp(), attempts = attempts + 1 WHERE id = $1`,
              [row.id],
            );
            count++;
          }
          return { delivered: count, failure: undefined };
        },
      );
      if (failure) throw failure;
      if (delivered < BATCH) return;
    }
    // A very long backlog: hand the rest to a fresh job instead of holding this one.
    await this.queue.add(QueueName.Outbox, 'drain', { organizationId });
  }

  /** Enqueues a drain for every organization with rows older than one sweep interval. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const rows: Array<{ organization_id: string }> = await this.transactions.run(
        { organizationId: null, userId: null, system: true },
        (em) =>
          em.query(
            `SELECT DISTINCT organization_id FROM outbox_events
              WHERE processed_at IS NULL AND created_at < clock_timestamp() - make_interval(secs => $1)`,
            [this.config.outboxSweepIntervalMs / 1000],
          ),
      );
      for (const { organization_id } of rows) {
        await this.queue.add(QueueName.Outbox, 'drain', { organizationId: organization_id });
      }
      return rows.length;
    } catch (err) {
      this.logger.warn({ err }, 'outbox sweep failed; will try again');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
