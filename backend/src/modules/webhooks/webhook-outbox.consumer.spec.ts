import type { AppConfig } from '../../config/app-config';
import type { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { OutboxConsumers, OutboxMessage } from '../outbox/outbox-consumers';
import type { WebhookDeliverer } from './webhook-deliverer';
import type { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookOutboxConsumer } from './webhook-outbox.consumer';
import type { WebhookRow, WebhooksRepository } from './webhooks.repository';

const ORG = '00000000-0000-4000-8000-000000000001';

function message(i: number, type = 'prompt.created'): OutboxMessage {
  return {
    id: `event-${i}`,
    organizationId: ORG,
    type,
    aggregateType: 'prompt',
    aggregateId: `prompt-${i}`,
    payload: {},
    createdAt: new Date('2026-12-06T10:00:00Z'),
  };
}

describe('WebhookOutboxConsumer', () => {
  const endpoint = { id: 'hook-1' } as WebhookRow;
  let manager: object;
  let subscribedTo: jest.Mock;
  let inserted: string[];
  let consumer: WebhookOutboxConsumer;

  beforeEach(() => {
    manager = {};
    inserted = [];
    subscribedTo = jest.fn().mockResolvedValue([endpoint]);
    const webhooks = {
      subscribedTo,
      promptIsShared: jest.fn().mockResolvedValue(true),
    } as unknown as WebhooksRepository;
    const deliveries = {
      insert: jest.fn((d: { eventId: string }) => {
        inserted.push(d.eventId);
        return Promise.resolve(`delivery-${d.eventId}`);
      }),
    } as unknown as WebhookDeliveriesRepository;
    const transactions = {
      get manager() {
        return manager;
      },
    } as unknown as TenantTransactions;
    consumer = new WebhookOutboxConsumer(
      {} as OutboxConsumers,
      webhooks,
      deliveries,
      { enqueueAfterCommit: jest.fn() } as unknown as WebhookDeliverer,
      { webhooks: { retryWindowMs: 1000 } } as AppConfig,
      transactions,
    );
  });

  it('reads the subscribed endpoints once per drain transaction and event type', async () => {
    for (let i = 0; i < 3; i++) await consumer.handle(message(i));
    await consumer.handle(message(3, 'prompt.updated'));
    expect(subscribedTo.mock.calls).toEqual([
      [ORG, 'prompt.created'],
      [ORG, 'prompt.updated'],
    ]);
    expect(inserted).toEqual(['event-0', 'event-1', 'event-2', 'event-3']);

    // The next drain batch is another transaction: it reads them again.
    manager = {};
    subscribedTo.mockResolvedValue([]);
    await consumer.handle(message(4));
    expect(subscribedTo).toHaveBeenCalledTimes(3);
    expect(inserted).toHaveLength(4);
  });

  it('does not keep a failed read', async () => {
    subscribedTo.mockRejectedValueOnce(new Error('connection lost'));
    await expect(consumer.handle(message(0))).rejects.toThrow('connection lost');
    await consumer.handle(message(1));
    expect(subscribedTo).toHaveBeenCalledTimes(2);
    expect(inserted).toEqual(['event-1']);
  });
});
