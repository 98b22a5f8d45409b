import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDate, MaxDate, MinDate } from 'class-validator';

/**
 * The instants both JavaScript and PostgreSQL `timestamptz` can hold, with room to spare: JS
 * dates reach 271,821 BC, PostgreSQL only 4,713 BC, and a date beyond it was a 500.
 */
export const EARLIEST_TIMESTAMP = new Date('0001-01-01T00:00:00Z');
export const LATEST_TIMESTAMP = new Date('9999-12-31T23:59:59.999Z');

/** An ISO-8601 instant in a body or query, parsed to a Date within EARLIEST..LATEST_TIMESTAMP. */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(
    Type(() => Date),
    IsDate(),
    MinDate(EARLIEST_TIMESTAMP, {
      message: ({ property }) => `${property} must not be before ${EARLIEST_TIMESTAMP.toISOString()}`,
    }),
    MaxDate(LATEST_TIMESTAMP, {
      message: ({ property }) => `${property} must not be after ${LATEST_TIMESTAMP.toISOString()}`,
    }),
  );
}
