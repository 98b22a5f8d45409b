import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  CreatedWebhookResponseDto,
  CreateWebhookDto,
  ListDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookAcceptedDto,
  WebhookDeliveryPageDto,
  WebhookResponseDto,
  WebhookSecretResponseDto,
} from './dto/webhook.dto';
import './webhooks.errors';
import { WebhooksService } from './webhooks.service';

/**
 * Signed outbound webhooks (OWNER, ADMIN). Deliveries follow Standard Webhooks: `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers; see docs/webhooks.md for verification.
 */
@ApiTags('webhooks')
@TenantScoped()
@CheckPolicies((a) => a.can('manage', 'Webhook'))
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The organization's endpoints, oldest first. Secrets are never listed. */
  @Get()
  @ApiProblems(401, 403, 404)
  list(@CurrentCaller() caller: Caller): Promise<WebhookResponseDto[]> {
    return this.webhooks.list(caller);
  }

  /**
   * Registers an endpoint. The answer carries its signing secret (`whsec_…`) this once; it is
   * stored encrypted. Unknown event types, non-http(s) URLs and (unless `WEBHOOK_ALLOW_PRIVATE`)
   * URLs reaching loopback, private or link-local addresses answer 400.
   */
  @Post()
  @ApiProblems(400, 401, 403, 404)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponseDto> {
    return this.webhooks.create(caller, dto);
  }

  /** Changes the URL, events, description or whether it is enabled (enabling resets a failing endpoint). */
  @Patch(':id')
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponseDto> {
    return this.webhooks.update(caller, id, dto);
  }

  /** Deletes the endpoint with its secrets and delivery log; pending deliveries are dropped. */
  @Delete(':id')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  remove(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<void> {
    return this.webhooks.remove(caller, id);
  }

  /**
   * A new signing secret, shown this once. The previous secret keeps signing beside it for 24 hours
   * (`WEBHOOK_SECRET_OVERLAP_MS`): deliveries carry one `v1,` signature per secret meanwhile.
   */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiProblems(400, 401, 403, 404)
  rotateSecret(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
  ): Promise<WebhookSecretResponseDto> {
    return this.webhooks.rotateSecret(caller, id);
  }

  /** Queues a `webhook.test` event to this endpoint only (202). 409 if the endpoint is disabled. */
  @Post(':id/test')
  @HttpCode(202)
  @ApiProblems(400, 401, 403, 404, 'webhook_disabled')
  test(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<WebhookAcceptedDto> {
    return this.webhooks.test(caller, id);
  }

  /**
   * The endpoint's delivery log, newest first, with the status, attempts, the last response code,
   * duration and the first 1 KB of the last response.
   */
  @Get(':id/deliveries')
  @ApiProblems(400, 401, 403, 404)
  deliveries(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() q: ListDeliveriesQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    return this.webhooks.listDeliveries(caller, id, q.limit, q.cursor);
  }

  /**
   * Sends a delivery again (202): a new delivery with the same `webhook-id` and body, logged next to
   * the original. 409 if the endpoint is disabled.
   */
  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiProblems(400, 401, 403, 404, 'webhook_disabled')
  redeliver(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @UuidParam('deliveryId') deliveryId: string,
  ): Promise<WebhookAcceptedDto> {
    return this.webhooks.redeliver(caller, id, deliveryId);
  }
}
