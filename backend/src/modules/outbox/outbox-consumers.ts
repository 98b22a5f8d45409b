import { Injectable } from '@nestjs/common';

export interface OutboxMessage {
  id: string;
  organizationId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Something that reacts to committed domain changes: the search indexer, webhooks, analytics.
 * Delivery is at least once and in order per organization, so `handle` must be idempotent.
 */
export interface OutboxConsumer {
  readonly name: string;
  handles(type: string): boolean;
  handle(message: OutboxMessage): Promise<void>;
}

/** Consumers register themselves (typically in onModuleInit) and the drain job feeds them. */
@Injectable()
export class OutboxConsumers {
  private readonly consumers: OutboxConsumer[] = [];

  register(consumer: OutboxConsumer): () => void {
    this.consumers.push(consumer);
    return () => {
      const i = this.consumers.indexOf(consumer);
      if (i >= 0) this.consumers.splice(i, 1);
    };
  }

  for(type: string): OutboxConsumer[] {
    return this.consumers.filter((c) => c.handles(type));
  }
}
