import { ApiProperty } from '@nestjs/swagger';
import type { PromptStatus, PromptVisibility } from '../prompt.model';
import type { VariableType } from '../variables';

export class VariableResponseDto {
  name: string;
  description?: string;
  type: VariableType;
  required: boolean;
  /** string, number or boolean, by type. */
  @ApiProperty({ required: false, oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] })
  defaultValue?: string | number | boolean;
  options?: string[];
}

export class PromptMetadataResponseDto {
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

export class PromptStatsResponseDto {
  views: number;
  uses: number;
  favorites: number;
}

/** A prompt as the contract defines it. */
export class PromptResponseDto {
  id: string;
  slug: string;
  title: string;
  description: string;
  /** Markdown with `{{variable}}` placeholders. */
  content: string;
  variables: VariableResponseDto[];
  /** Tag names, A–Z. */
  tags: string[];
  categoryId: string | null;
  collectionId: string | null;
  authorId: string | null;
  status: PromptStatus;
  visibility: PromptVisibility;
  metadata: PromptMetadataResponseDto;
  /** The current version number. */
  version: number;
  /** Release label → version, e.g. `{"production": 3}`. */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { production: 3 } })
  labels: Record<string, number>;
  stats: PromptStatsResponseDto;
  /** Whether the caller marked it as a favorite. */
  favorited: boolean;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export class PromptPageResponseDto {
  items: PromptResponseDto[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export class FavoriteResponseDto {
  /** Whether the prompt is now a favorite of the caller. */
  favorited: boolean;
  /** How many members have it as a favorite. */
  favorites: number;
}
