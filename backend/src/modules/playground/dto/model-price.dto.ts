import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';

/** The highest price accepted, in USD per million tokens. */
export const MAX_PRICE_PER_MTOK_USD = 1_000_000;

const PRICE = {
  type: 'number',
  minimum: 0,
  maximum: MAX_PRICE_PER_MTOK_USD,
} as const;

/** `PUT /organizations/{id}/model-prices/{model}`: the organization's price for a model from now on. */
export class SetModelPriceDto {
  /** USD per million input tokens, 0–1,000,000 (kept to 6 decimal places). */
  @ApiProperty(PRICE)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_PRICE_PER_MTOK_USD)
  inputPerMTokUsd: number;

  /** USD per million output tokens, 0–1,000,000 (kept to 6 decimal places). */
  @ApiProperty(PRICE)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_PRICE_PER_MTOK_USD)
  outputPerMTokUsd: number;
}

/** A model's list price in the catalogue. */
export class CataloguePriceDto {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
}

/** One of the organization's prices in force. */
export class ModelPriceResponseDto {
  /** The model id (a catalogue model or any OpenAI-compatible model name). */
  model: string;
  /** USD per million input tokens. */
  inputPerMTokUsd: number;
  /** USD per million output tokens. */
  outputPerMTokUsd: number;
  /** Since when this price applies; usage before it keeps the price that was in force then. */
  effectiveFrom: string;
  /** The catalogue's list price of the model, or null for a model outside the catalogue. */
  catalogue: CataloguePriceDto | null;
}
