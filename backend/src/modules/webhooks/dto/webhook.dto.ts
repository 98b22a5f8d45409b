import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/pagination';
import { Nullable, Optional } from '../../../common/validation/optional';
import { trim } from '../../../common/validation/transforms';
import { WEBHOOK_EVENTS, type WebhookEventType } from '../webhook-events';

const EVENTS_MESSAGE = `each value in events must be one of: ${WEBHOOK_EVENTS.join(', ')}`;

export class CreateWebhookDto {
  /**
   * Where deliveries are POSTed: an absolute http(s) URL without credentials or fragment, at most
   * 2000 characters. Loopback, private and link-local addresses are refused unless the server
   * allows them (`WEBHOOK_ALLOW_PRIVATE`); the rule is checked again when each delivery connects.
   */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  url: string;

  /** The event types to deliver (at least one, no repeats). */
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['prompt.created', 'prompt.updated'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique({ message: 'events must not repeat a value' })
  @IsIn(WEBHOOK_EVENTS, { each: true, message: EVENTS_MESSAGE })
  events: WebhookEventType[];

  /** What the endpoint is for (at most 500 characters). */
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'description must not contain control characters' })
  description?: string;

  /** Whether deliveries are made (default true). */
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookDto {
  /** A new target URL (same rules as on creation). */
  @Optional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  url?: string;

  /** Replaces the subscribed event types. */
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, required: false })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique({ message: 'events must not repeat a value' })
  @IsIn(WEBHOOK_EVENTS, { each: true, message: EVENTS_MESSAGE })
  events?: WebhookEventType[];

  /** A new description; `null` clears it. */
  @ApiProperty({ type: String, nullable: true, required: false, maxLength: 500 })
  @Nullable()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'description must not contain control characters' })
  description?: string | null;

  /** Enables or disables deliveries; enabling an endpoint that was disabled for failing resets it. */
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookResponseDto {
  id: string;
  url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events: string[];
  description: string | null;
  enabled: boolean;
  /** Why the server disabled the endpoint (`failing`: every delivery failed for 24 hours); null otherwise. */
  @ApiProperty({ type: String, enum: ['failing'], nullable: true })
  disabledReason: 'failing' | null;
  /** Since when every delivery attempt has failed; null after a success. */
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export class CreatedWebhookResponseDto extends WebhookResponseDto {
  /** The signing secret (`whsec_` + base64), shown this once: store it now. */
  secret: string;
}

export class WebhookSecretResponseDto {
  /**
   * The new signing secret, shown this once. The previous secret keeps signing next to it for the
   * overlap window (24 hours), so deliveries carry two `v1,` signatures meanwhile.
   */
  secret: string;
}

export class WebhookAcceptedDto {
  /** The delivery that was queued. */
  deliveryId: string;
}

export class ListDeliveriesQueryDto extends PageQueryDto {}

export class WebhookDeliveryResponseDto {
  id: string;
  /** The event's id: the `webhook-id` header, the same on every attempt and redelivery. */
  eventId: string;
  /** The event type, e.g. `prompt.updated` or `webhook.test`. */
  type: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] })
  status: 'pending' | 'delivered' | 'failed';
  /** Attempts made so far. */
  attempts: number;
  /** The HTTP status of the last attempt; null if none came (refused, timed out) or no attempt yet. */
  responseStatus: number | null;
  /** How long the last attempt took (milliseconds). */
  durationMs: number | null;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  /** The first 1 KB of the last response body. */
  responseExcerpt: string | null;
  /** Why the last attempt failed; null after a success. */
  error: string | null;
  /** For a redelivery: the delivery it repeats. */
  redeliveryOf: string | null;
}

export class WebhookDeliveryPageDto {
  /** Newest first. */
  items: WebhookDeliveryResponseDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
