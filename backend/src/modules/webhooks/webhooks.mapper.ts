import type { WebhookDeliveryResponseDto, WebhookResponseDto } from './dto/webhook.dto';
import type { DeliveryRow } from './webhook-deliveries.repository';
import type { WebhookRow } from './webhooks.repository';

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export const toWebhookDto = (r: WebhookRow): WebhookResponseDto => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  enabled: r.enabled,
  disabledReason: r.disabled_reason,
  failingSince: iso(r.failing_since),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

export const toDeliveryDto = (r: DeliveryRow): WebhookDeliveryResponseDto => ({
  id: r.id,
  eventId: r.event_id,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  responseStatus: r.response_status,
  durationMs: r.duration_ms,
  nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
  createdAt: iso(r.created_at)!,
  lastAttemptAt: iso(r.last_attempt_at),
  responseExcerpt: r.response_excerpt,
  error: r.last_error,
  redeliveryOf: r.redelivery_of,
});

/** The JSON body of a delivery (Standard Webhooks: `{type, timestamp, data}`), fixed at creation. */
export const deliveryBody = (type: string, occurredAt: Date, data: Record<string, unknown>): string =>
  JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
