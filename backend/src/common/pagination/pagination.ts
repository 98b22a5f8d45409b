import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppException } from '../errors/domain.exception';

/** `?limit=&cursor=` as the contract defines them for every list. */
export class PageQueryDto {
  /** Page size, 1..100. */
  // Explicit: the Swagger CLI plugin reads only *.dto.ts files, and every list extends this class.
  @ApiPropertyOptional({ description: 'Page size, 1..100', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  /** Opaque cursor from the previous page's `nextCursor`. */
  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`", maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of a small JSON value chosen by the list. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, isValid: (v: unknown) => v is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the one error below: a cursor is either ours or invalid
  }
  throw new AppException('validation_failed', 'The cursor is not valid', {
    errors: [{ field: 'cursor', message: 'cursor must be a value returned as nextCursor' }],
  });
}

/** Fetch `limit + 1` rows, then call this to cut the page and derive its cursor from the last item. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => unknown,
  map: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(map),
    nextCursor: hasMore ? encodeCursor(cursorOf(pageRows[pageRows.length - 1])) : null,
  };
}
