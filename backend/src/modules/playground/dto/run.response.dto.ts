import { ApiProperty } from '@nestjs/swagger';
import { PRICE_SOURCES, PriceSource } from '../model-prices.repository';

export class RunUsageDto {
  /** Input tokens as the provider reported them. */
  inputTokens: number;
  /** Output tokens as the provider reported them. */
  outputTokens: number;
}

export class RunResponseDto {
  id: string;
  /** null for unsaved playground content (or a prompt deleted since). */
  promptId: string | null;
  /** The prompt version that ran; null for unsaved content. */
  version: number | null;
  model: string;
  @ApiProperty({ enum: ['openai', 'anthropic', 'google', 'openai-compatible'] })
  provider: string;
  /** The model's answer (what arrived before a cancel or an error, if anything). */
  output: string;
  usage: RunUsageDto;
  /** usage × the catalogue's price per million tokens (0 for models without a price). */
  costUsd: number;
  /** From the start of the provider call to its last byte. */
  latencyMs: number;
  @ApiProperty({ enum: ['success', 'error', 'canceled'] })
  status: 'success' | 'error' | 'canceled';
  /** The problem the run ended with (status error), without any key material. */
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  error: Record<string, unknown> | null;
  providerKeyId: string | null;
  createdBy: string | null;
  createdAt: string;
}

export class RunDetailResponseDto extends RunResponseDto {
  /** The variables the input was rendered with. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  variables: Record<string, unknown>;
  /** The rendered input sent to the model. */
  input: string;
}

export class RunPageResponseDto {
  items: RunDetailResponseDto[];
  nextCursor: string | null;
}

export class CompareResponseDto {
  /** One run per target, in the order of the targets. */
  runs: RunResponseDto[];
}

export class EstimateResponseDto {
  /** Tokens of the rendered prompt. */
  inputTokens: number;
  /** The prompt's metadata.maxTokens, else 500. */
  estimatedOutputTokens: number;
  /** (inputTokens × input price + estimatedOutputTokens × output price) / 1e6. */
  costUsd: number;
  /** true when counted with the model's own tokenizer (OpenAI models), false for the chars/token approximation. */
  exact: boolean;
}

export class ModelResponseDto {
  @ApiProperty({ enum: ['openai', 'anthropic', 'google'] })
  provider: string;
  id: string;
  name: string;
  contextWindow: number;
  /** USD per million input tokens: the organization's own price when it set one, else the list price. */
  inputPerMTokUsd: number;
  /** USD per million output tokens: the organization's own price when it set one, else the list price. */
  outputPerMTokUsd: number;
  /** The date the catalogue's list prices were taken from the provider's price list (YYYY-MM-DD). */
  pricesAsOf: string;
  /**
   * Where the two prices come from: `catalogue` (the list price) or `organization` (set by an
   * OWNER or ADMIN, `PUT /organizations/{id}/model-prices/{model}`).
   */
  @ApiProperty({ enum: PRICE_SOURCES })
  priceSource: PriceSource;
}
