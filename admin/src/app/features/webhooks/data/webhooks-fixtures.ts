import { WebhookDelivery, WebhookEndpoint } from './webhooks.api';

/** Test data shared by the webhooks specs (not part of the console's behaviour). */

export const ENDPOINT: WebhookEndpoint = {
  id: 'w1',
  url: 'https://hooks.example.com/pv',
  events: ['prompt.created'],
  description: null,
  enabled: true,
  disabledReason: null,
  failingSince: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

export const delivery = (id: string, over: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id,
  eventId: `e-${id}`,
  type: 'prompt.created',
  status: 'delivered',
  attempts: 1,
  responseStatus: 200,
  durationMs: 42,
  nextAttemptAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  lastAttemptAt: '2026-01-01T00:00:00Z',
  responseExcerpt: 'ok',
  error: null,
  redeliveryOf: null,
  ...over,
});
