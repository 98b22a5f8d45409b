import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { trim } from '../../../common/validation/transforms';
import { Optional } from '../../../common/validation/optional';
import { Provider, PROVIDERS } from '../providers';

export class CreateProviderKeyDto {
  @ApiProperty({ enum: PROVIDERS, description: 'Which provider the key is for.' })
  @IsIn(PROVIDERS, { message: `provider must be one of: ${PROVIDERS.join(', ')}` })
  provider: Provider;

  /** 1–100 characters, unique in the organization regardless of case (e.g. "OpenAI production"). */
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'name must not contain control characters' })
  name: string;

  /**
   * The provider's API key (8–4096 characters, no whitespace). Stored encrypted; never returned,
   * only its last four characters.
   */
  @IsString()
  @MinLength(8)
  @MaxLength(4096)
  @Matches(/^\S+$/, { message: 'apiKey must not contain whitespace' })
  apiKey: string;

  /**
   * The API's base URL including its version path (e.g. `https://my-azure.openai.azure.com/openai/v1`,
   * `http://localhost:11434/v1`). Required for `openai-compatible`; optional for the others (a proxy
   * or regional endpoint). https only, and no loopback/private addresses, unless the server allows
   * private addresses (`PROVIDER_BASE_URL_ALLOW_PRIVATE`).
   */
  @Optional()
  @IsString()
  @MaxLength(2000)
  baseUrl?: string;
}

export class TestProviderKeyDto {
  /**
   * The model to ask for one output token (default: a small model of the provider; for
   * `openai-compatible`, the first model the endpoint lists).
   */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/^[^\s\p{Cc}]+$/u, { message: 'model must not contain whitespace or control characters' })
  model?: string;
}

export class ProviderKeyResponseDto {
  id: string;
  @ApiProperty({ enum: PROVIDERS })
  provider: Provider;
  name: string;
  /** The last four characters of the key, the only part ever shown again. */
  last4: string;
  /** The key's own base URL; absent when it uses the provider's default. */
  baseUrl?: string;
  createdAt: string;
  /** When the key was last used (tested or run); null if never. */
  lastUsedAt: string | null;
}

export class ProviderKeyTestResultDto {
  /** Whether the provider accepted the key and answered. */
  ok: boolean;
  /** What happened, for people (e.g. "The provider refused the key (401)"); never contains the key. */
  detail: string;
}
