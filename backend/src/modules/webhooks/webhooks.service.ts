import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/context/request-context';
import { AppException, notFound } from '../../common/errors/domain.exception';
import { decodeCursor, Page, toPage } from '../../common/pagination/pagination';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import {
  CreatedWebhookResponseDto,
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookAcceptedDto,
  WebhookDeliveryResponseDto,
  WebhookResponseDto,
  WebhookSecretResponseDto,
} from './dto/webhook.dto';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { TEST_EVENT } from './webhook-events';
import { urlProblem } from './webhook-sender';
import { MasterKey } from '../../common/security/master-key';
import { generateSecret } from './webhook-signature';
import { WebhookException } from './webhooks.errors';
import { deliveryBody, toDeliveryDto, toWebhookDto } from './webhooks.mapper';
import { WebhookRow, WebhooksRepository } from './webhooks.repository';

const invalid = (field: string, message: string) =>
  new AppException('validation_failed', message, { errors: [{ field, message }] });

const isSeqCursor = (v: unknown): v is { s: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { s?: unknown }).s === 'string' &&
  /^\d{1,19}$/.test((v as { s: string }).s);

/**
 * Webhook endpoints of an organization (OWNER, ADMIN; the route policies decide): registration with
 * a secret shown once and stored sealed, changes, rotation with an overlap, test events, the
 * delivery log and redelivery. Every change is audited without the secret.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly secrets: MasterKey,
    private readonly deliverer: WebhookDeliverer,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async list(caller: Caller): Promise<WebhookResponseDto[]> {
    return (await this.webhooks.all(caller.organizationId)).map(toWebhookDto);
  }

  async create(caller: Caller, dto: CreateWebhookDto): Promise<CreatedWebhookResponseDto> {
    const url = await this.checkUrl(dto.url);
    const id = await this.webhooks.insert({
      organizationId: caller.organizationId,
      url,
      description: dto.description || null,
      events: dto.events,
      enabled: dto.enabled ?? true,
      createdBy: caller.userId,
    });
    const secret = generateSecret();
    await this.storeSecret(caller, id, secret);
    await this.audit.record({
      action: 'webhook.created',
      target: { type: 'webhook', id },
      changes: {
        url,
        events: dto.events,
        description: dto.description || null,
        enabled: dto.enabled ?? true,
      },
    });
    return { ...toWebhookDto(await this.find(caller, id)), secret };
  }

  async update(caller: Caller, id: string, dto: UpdateWebhookDto): Promise<WebhookResponseDto> {
    const before = await this.find(caller, id, true);
    const url = dto.url === undefined ? undefined : await this.checkUrl(dto.url);
    const description = dto.description === undefined ? undefined : dto.description || null;
    await this.webhooks.update(caller.organizationId, id, {
      url,
      events: dto.events,
      description,
      enabled: dto.enabled,
    });
    const after = await this.find(caller, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (before.url !== after.url) changes.url = { from: before.url, to: after.url };
    if (before.description !== after.description)
      changes.description = { from: before.description, to: after.description };
    if (before.events.join() !== after.events.join())
      changes.events = { from: before.events, to: after.events };
    if (before.enabled !== after.enabled) changes.enabled = { from: before.enabled, to: after.enabled };
    if (Object.keys(changes).length)
      await this.audit.record({ action: 'webhook.updated', target: { type: 'webhook', id }, changes });
    return toWebhookDto(after);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const hook = await this.find(caller, id, true);
    await this.webhooks.delete(caller.organizationId, id);
    await this.audit.record({
      action: 'webhook.deleted',
      target: { type: 'webhook', id },
      changes: { url: hook.url, events: hook.events },
    });
  }

  /**
   * A new secret, shown once; the previous one keeps signing beside it for WEBHOOK_SECRET_OVERLAP_MS,
   * so receivers can switch without missing a delivery.
   */
  async rotateSecret(caller: Caller, id: string): Promise<WebhookSecretResponseDto> {
    await this.find(caller, id, true);
    const overlapMs = this.config.webhooks.secretOverlapMs;
    await this.webhooks.expireSecrets(caller.organizationId, id, overlapMs);
    const secret = generateSecret();
    await this.storeSecret(caller, id, secret);
    await this.audit.record({
      action: 'webhook.secret_rotated',
      target: { type: 'webhook', id },
      changes: { previousSecretValidUntil: new Date(Date.now() + overlapMs).toISOString() },
    });
    return { secret };
  }

  /** Queues a `webhook.test` event for this endpoint only. */
  async test(caller: Caller, id: string): Promise<WebhookAcceptedDto> {
    const hook = this.requireEnabled(await this.find(caller, id));
    const eventId = randomUUID();
    const deliveryId = await this.deliveries.insert({
      organizationId: caller.organizationId,
      webhookId: hook.id,
      eventId,
      type: TEST_EVENT,
      orderKey: null,
      body: deliveryBody(TEST_EVENT, new Date(), {
        organizationId: caller.organizationId,
        webhookId: hook.id,
        message: 'A test event sent from Prompt Vault',
      }),
      retryWindowMs: this.config.webhooks.retryWindowMs,
    });
    this.deliverer.enqueueAfterCommit(caller.organizationId, [deliveryId!]);
    return { deliveryId: deliveryId! };
  }

  async listDeliveries(
    caller: Caller,
    id: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<WebhookDeliveryResponseDto>> {
    await this.find(caller, id);
    const before = cursor ? decodeCursor(cursor, isSeqCursor).s : undefined;
    const rows = await this.deliveries.list(caller.organizationId, id, limit + 1, before);
    return toPage(rows, limit, (r) => ({ s: r.seq }), toDeliveryDto);
  }

  /**
   * Sends a delivery again as a new delivery with the same event id (`webhook-id`) and body, a fresh
   * retry window, queued behind pending deliveries of the same prompt.
   */
  async redeliver(caller: Caller, id: string, deliveryId: string): Promise<WebhookAcceptedDto> {
    const hook = await this.find(caller, id);
    const original = await this.deliveries.find(caller.organizationId, id, deliveryId);
    if (!original) throw notFound('Delivery');
    this.requireEnabled(hook);
    const newId = await this.deliveries.insert({
      organizationId: caller.organizationId,
      webhookId: id,
      eventId: original.event_id,
      type: original.type,
      orderKey: original.order_key,
      body: original.body,
      redeliveryOf: original.id,
      retryWindowMs: this.config.webhooks.retryWindowMs,
    });
    await this.audit.record({
      action: 'webhook.redelivered',
      target: { type: 'webhook', id },
      changes: { deliveryId: original.id, eventId: original.event_id, type: original.type },
    });
    this.deliverer.enqueueAfterCommit(caller.organizationId, [newId!]);
    return { deliveryId: newId! };
  }

  private requireEnabled(hook: WebhookRow): WebhookRow {
    if (!hook.enabled)
      throw new WebhookException(
        'webhook_disabled',
        'The endpoint is disabled; enable it before sending it events',
      );
    return hook;
  }

  private async storeSecret(caller: Caller, id: string, secret: string): Promise<void> {
    const sealed = this.secrets.seal(secret, caller.organizationId);
    await this.webhooks.insertSecret(caller.organizationId, id, sealed);
  }

  private async find(caller: Caller, id: string, lock = false): Promise<WebhookRow> {
    const hook = await this.webhooks.find(caller.organizationId, id, lock);
    if (!hook) throw notFound('Webhook');
    return hook;
  }

  private async checkUrl(raw: string): Promise<string> {
    const problem = await urlProblem(raw, this.config.webhooks.allowPrivate);
    if (problem) throw invalid('url', problem);
    return new URL(raw).toString();
  }
}
