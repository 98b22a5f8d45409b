import { Transform } from 'class-transformer';
import { trim } from '../../../common/validation/transforms';
import { IsString, MaxLength, MinDate, MinLength } from 'class-validator';
import { IsTimestamp } from '../../../common/validation/dates';
import { Optional } from '../../../common/validation/optional';

export class CreateApiKeyDto {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** Optional expiry (ISO-8601, in the future). */
  @Optional()
  @IsTimestamp()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}

export class ApiKeyResponseDto {
  id: string;
  name: string;
  /** The key's first characters, for recognising it. */
  prefix: string;
  userId: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  /** The key itself: shown only in this response, stored hashed. Send it as `X-API-Key`. */
  key: string;
}
