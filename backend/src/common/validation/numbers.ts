import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** The largest value of a PostgreSQL `integer` column (version numbers, counters). */
export const INT32_MAX = 2_147_483_647;

/**
 * A positive `integer` column value in a body or query DTO: 1..2^31-1. Beyond it PostgreSQL
 * refuses the parameter (`out of range for type integer`), and beyond 2^53 JavaScript has
 * already rounded it to another number.
 */
export function IsPositiveInt32(): PropertyDecorator {
  return applyDecorators(
    // The Swagger plugin reads only the decorators written in a DTO file, so the bounds are stated here.
    ApiProperty({ type: 'integer', minimum: 1, maximum: INT32_MAX }),
    IsInt(),
    Min(1),
    Max(INT32_MAX, { message: ({ property }) => `${property} must not be greater than ${INT32_MAX}` }),
  );
}
