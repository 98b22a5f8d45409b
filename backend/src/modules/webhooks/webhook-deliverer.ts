import { Injectable, Logger } from '@nestjs/common';
import { defineAbilityFor } from '../../authz/ability.factory';
import { SecretBoxError } from '../../common/security/secret-box';
import { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { JobQueue } from '../../queue/job-queue';
import { QueueName } from '../../queue/queue.constants';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { AttemptOutcome, DeliveryRow, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { SendResult, sendWebhook } from './webhook-sender';
import { MasterKey } from '../../common/security/master-key';
import { signatureHeader } from './webhook-signature';
import { WebhookRow, WebhooksRepository } from './webhooks.repository';

/** The job of the webhooks queue: one attempt at one delivery. */
export const DELIVER_JOB = 'deliver';

/** The delay after `attempts` attempts before the next one: the base, doubling per attempt, capped. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
}

const LEASE_MARGIN_MS = 30_000;

type Claimed =
  | { kind: 'send'; delivery: DeliveryRow; webhook: WebhookRow; secrets: string[] }
  | { kind: 'unusable'; delivery: DeliveryRow; webhook: WebhookRow; error: string };

/**
 * Makes delivery attempts: takes a due delivery (first in its line), signs and POSTs it outside
 * any transaction, then records the outcome, the retry schedule, the endpoint's failure run and,
 * after 24 hours of failures, disables the endpoint (audited, OWNERs and ADMINs e-mailed).
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: MasterKey,
    private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly organizations: OrganizationsService,
    private readonly config: AppConfig,
  ) {}

  /** Enqueues an attempt; a failed enqueue is left to the dispatcher, which finds due rows itself. */
  async enqueue(organizationId: string, deliveryId: string): Promise<void> {
    try {
      await this.queue.add(QueueName.Webhooks, DELIVER_JOB, { organizationId, deliveryId });
    } catch (err) {
      this.logger.warn({ err, deliveryId }, 'could not enqueue a webhook delivery; the dispatcher will');
    }
  }

  /** Enqueues attempts once the current transaction has committed (the rows exist by then). */
  enqueueAfterCommit(organizationId: string, deliveryIds: string[]): void {
    if (!deliveryIds.length) return;
    this.transactions.afterCommit(async () => {
      for (const id of deliveryIds) await this.enqueue(organizationId, id);
    });
  }

  /** One attempt at a delivery, if it is due and first in line; otherwise nothing. */
  async attempt(organizationId: string, deliveryId: string): Promise<void> {
    const { webhooks: cfg } = this.config;
    const scope = { organizationId, userId: null };
    const claimed = await this.transactions.run(scope, () => this.claim(organizationId, deliveryId));
    if (!claimed) return;
    const { delivery, webhook } = claimed;
    let result: SendResult;
    if (claimed.kind === 'unusable') {
      result = { status: null, ok: false, durationMs: 0, excerpt: null, error: claimed.error };
    } else {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(claimed.secrets, delivery.event_id, timestamp, delivery.body),
      };
      result = await sendWebhook(webhook.url, headers, delivery.body, {
        allowPrivate: cfg.allowPrivate,
        timeoutMs: cfg.timeoutMs,
      });
    }
    await this.transactions.run(scope, () =>
      this.record(organizationId, delivery, webhook, claimed.kind, result),
    );
  }

  private async claim(organizationId: string, deliveryId: string): Promise<Claimed | undefined> {
    const lease = this.config.webhooks.timeoutMs + LEASE_MARGIN_MS;
    const delivery = await this.deliveries.claim(organizationId, deliveryId, lease);
    if (!delivery) return undefined;
    const webhook = await this.webhooks.find(organizationId, delivery.webhook_id);
    if (!webhook) return undefined;
    if (!webhook.enabled) return { kind: 'unusable', delivery, webhook, error: 'The endpoint is disabled' };
    try {
      const secrets = (await this.webhooks.activeSecrets(organizationId, webhook.id)).map((s) =>
        this.secrets.open(s),
      );
      if (!secrets.length) throw new SecretBoxError('The endpoint has no signing secret');
      return { kind: 'send', delivery, webhook, secrets };
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      this.logger.warn(
        { webhookId: webhook.id, reason: err.message },
        'a webhook secret could not be opened',
      );
      return {
        kind: 'unusable',
        delivery,
        webhook,
        error: 'The signing secret cannot be decrypted with this server’s ENCRYPTION_KEY; rotate the secret',
      };
    }
  }

  private async record(
    organizationId: string,
    delivery: DeliveryRow,
    webhook: WebhookRow,
    kind: Claimed['kind'],
    result: SendResult,
  ): Promise<void> {
    const { webhooks: cfg } = this.config;
    const outcome: AttemptOutcome = {
      responseStatus: result.status,
      durationMs: result.durationMs,
      responseExcerpt: result.excerpt,
      error: result.error,
    };
    let status: DeliveryRow['status'];
    if (result.ok) {
      await this.deliveries.delivered(organizationId, delivery.id, outcome);
      await this.webhooks.clearFailing(organizationId, webhook.id);
      status = 'delivered';
    } else {
      // A disabled endpoint gets no retries: its deliveries fail at once.
      const retryIn = webhook.enabled
        ? retryDelayMs(delivery.attempts, cfg.retryBaseMs, cfg.retryMaxMs)
        : null;
      status = await this.deliveries.attemptFailed(organizationId, delivery.id, outcome, retryIn);
      if (
        kind === 'send' &&
        (await this.webhooks.recordFailure(organizationId, webhook.id, cfg.disableAfterMs))
      )
        await this.disabledForFailing(organizationId, webhook, result);
    }
    if (status !== 'pending' && delivery.order_key) {
      const next = await this.deliveries.nextInLine(organizationId, webhook.id, delivery.order_key);
      if (next) this.enqueueAfterCommit(organizationId, [next]);
    }
  }

  private async disabledForFailing(organizationId: string, webhook: WebhookRow, result: SendResult) {
    this.logger.warn({ webhookId: webhook.id, organizationId }, 'webhook endpoint disabled after failing');
    await this.audit.record({
      action: 'webhook.disabled',
      target: { type: 'webhook', id: webhook.id },
      changes: {
        url: webhook.url,
        reason: 'failing',
        failingSince: webhook.failing_since,
        lastError: result.error,
      },
    });
    const organization = await this.organizations.get(organizationId);
    const members = await this.organizations.members(organizationId);
    const recipients = members.filter((m) => defineAbilityFor(m.role, m.userId).can('manage', 'Webhook'));
    const hours = Math.round(this.config.webhooks.disableAfterMs / 3_600_000);
    this.transactions.afterCommit(async () => {
      for (const m of recipients) {
        await this.mail
          .send({
            to: m.email,
            subject: `Webhook endpoint disabled in ${organization.name}`,
            text: [
              `Every delivery to the webhook endpoint ${webhook.url} in ${organization.name} has failed for ${
                hours >= 1 ? `${hours} hours` : 'too long'
              }, so Prompt Vault disabled it.`,
              `Last error: ${result.error ?? 'unknown'}`,
              '',
              'Fix the endpoint, then enable it again on the Webhooks page of the console; failed deliveries can be redelivered from its delivery log.',
            ].join('\n'),
          })
          .catch((err: unknown) =>
            this.logger.warn({ err, webhookId: webhook.id }, 'could not send the disable e-mail'),
          );
      }
    });
  }

  /**
   * Enqueues every due delivery that is first in its line, across organizations: retries whose
   * time has come, and deliveries whose enqueue was lost. Run by the dispatcher's periodic job.
   */
  async dispatchDue(limit = 500): Promise<number> {
    const due = await this.transactions.run({ organizationId: null, userId: null, system: true }, () =>
      this.deliveries.due(limit),
    );
    for (const { organization_id, id } of due) await this.enqueue(organization_id, id);
    return due.length;
  }
}
