import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** One part's state and the driver it runs on (`postgres`/`pglite`, `bullmq`/`inline`, `postgres`/`elasticsearch`). */
export class HealthPartDto {
  status: 'up' | 'down';
  driver: string;
  /** Why a part is down or degraded. */
  message?: string;
  /** Search answers from Postgres while Elasticsearch is unreachable. */
  degraded?: boolean;
  /** Search: when searches began falling back to Postgres (cleared by the next search Elasticsearch answers). */
  fallbackSince?: string;
}

const parts = { type: 'object', additionalProperties: { $ref: getSchemaPath(HealthPartDto) } } as const;

@ApiExtraModels(HealthPartDto)
export class HealthResponseDto {
  /** `ok` when every part is up. */
  status: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional(parts)
  info?: Record<string, HealthPartDto>;
  @ApiPropertyOptional(parts)
  error?: Record<string, HealthPartDto>;
  @ApiProperty(parts)
  details: Record<string, HealthPartDto>;
}

/** A part as the public probe tells it: up or down, nothing more. */
export class HealthPartStatusDto {
  status: 'up' | 'down';
}

const statuses = { type: 'object', additionalProperties: { $ref: getSchemaPath(HealthPartStatusDto) } } as const;

/** The probe's answer (Terminus's shape): each part's status only, so it can stay public. */
@ApiExtraModels(HealthPartStatusDto)
export class HealthProbeResponseDto {
  /** `ok` when every part is up. */
  status: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional(statuses)
  info?: Record<string, HealthPartStatusDto>;
  @ApiPropertyOptional(statuses)
  error?: Record<string, HealthPartStatusDto>;
  @ApiProperty(statuses)
  details: Record<string, HealthPartStatusDto>;
}
