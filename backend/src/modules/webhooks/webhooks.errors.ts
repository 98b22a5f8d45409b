import { defineErrors } from '../../common/errors/domain.exception';

/** Webhook rules (see API-CONTRACT.md, "Webhooks", and docs/webhooks.md). */
export class WebhookException extends defineErrors('webhooks', {
  /** A test or a redelivery was asked of a disabled endpoint: enable it first. */
  webhook_disabled: { status: 409, title: 'Webhook endpoint is disabled' },
}) {}
