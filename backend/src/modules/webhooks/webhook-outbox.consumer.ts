import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { OutboxConsumer, OutboxConsumers, OutboxMessage } from '../outbox/outbox-consumers';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { isWebhookEvent, orderKeyOf, promptIdOf } from './webhook-events';
import { deliveryBody } from './webhooks.mapper';
import { WebhookRow, WebhooksRepository } from './webhooks.repository';

/**
 * Turns committed outbox rows into deliveries: one per enabled endpoint subscribed to the type,
 * written in the drain's own transaction (the outbox row is marked processed in it too), so a
 * change is never lost and a re-drained row creates nothing twice (unique per endpoint and event).
 * The attempts are enqueued after that transaction commits.
 *
 * Events about a private prompt are never delivered: private prompts are visible to their author
 * only, and the drain reads without a user, so such a prompt is not found.
 */
@Injectable()
export class WebhookOutboxConsumer implements OutboxConsumer, OnModuleInit {
  readonly name = 'webhooks';
  /**
   * The endpoints subscribed to each event type, read once per drain transaction (by its
   * EntityManager): every row of a drain batch was committed before the batch read it, so the
   * endpoints there are when its first row is handled are those its changes go to. Read per row,
   * an import's 20,000 `prompt.created` rows read the webhooks 20,000 times, about a third of the
   * API and database CPU of its commit.
   */
  private readonly subscriptions = new WeakMap<EntityManager, Map<string, Promise<WebhookRow[]>>>();

  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly deliverer: WebhookDeliverer,
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
  ) {}

  onModuleInit(): void {
    this.consumers.register(this);
  }

  handles(type: string): boolean {
    return isWebhookEvent(type);
  }

  async handle(m: OutboxMessage): Promise<void> {
    const endpoints = await this.subscribedTo(m.organizationId, m.type);
    if (!endpoints.length) return;
    if (!(await this.shareable(m))) return;
    const body = deliveryBody(m.type, new Date(m.createdAt), this.dataOf(m));
    const orderKey = orderKeyOf(m.type, m.aggregateType, m.aggregateId, m.payload);
    const created: string[] = [];
    for (const endpoint of endpoints) {
      const id = await this.deliveries.insert({
        organizationId: m.organizationId,
        webhookId: endpoint.id,
        eventId: m.id,
        type: m.type,
        orderKey,
        body,
        retryWindowMs: this.config.webhooks.retryWindowMs,
      });
      if (id) created.push(id);
    }
    this.deliverer.enqueueAfterCommit(m.organizationId, created);
  }

  private subscribedTo(organizationId: string, type: string): Promise<WebhookRow[]> {
    const em = this.transactions.manager;
    let read = this.subscriptions.get(em);
    if (!read) this.subscriptions.set(em, (read = new Map<string, Promise<WebhookRow[]>>()));
    const key = `${organizationId} ${type}`;
    let endpoints = read.get(key);
    if (!endpoints) {
      endpoints = this.webhooks.subscribedTo(organizationId, type);
      // A failed read is not kept: the drain fails and its retry reads again in a new transaction.
      endpoints.catch(() => read.delete(key));
      read.set(key, endpoints);
    }
    return endpoints;
  }

  /** Whether the event may leave the organization: not about a private prompt. */
  private async shareable(m: OutboxMessage): Promise<boolean> {
    const promptId = promptIdOf(m.type, m.aggregateType, m.aggregateId, m.payload);
    if (!promptId) return true;
    // A deleted prompt is gone; its event carries the visibility it had.
    if (m.type === 'prompt.deleted') return m.payload.visibility !== 'private';
    return this.webhooks.promptIsShared(m.organizationId, promptId);
  }

  /** `data`: the organization, the aggregate's id under its name (`promptId`, …) and the event's payload. */
  private dataOf(m: OutboxMessage): Record<string, unknown> {
    const idKey = `${m.aggregateType.replace(/[_-](\w)/g, (_, c: string) => c.toUpperCase())}Id`;
    return { organizationId: m.organizationId, [idKey]: m.aggregateId, ...m.payload };
  }
}
