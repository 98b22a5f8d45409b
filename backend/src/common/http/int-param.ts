import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { AppException } from '../errors/domain.exception';
import { INT32_MAX } from '../validation/numbers';

/**
 * A path parameter that must be a positive `integer` column value (1..2^31-1); anything else is
 * a 400 naming the parameter, before PostgreSQL can refuse it with a 500.
 */
@Injectable()
export class PositiveInt32Pipe implements PipeTransform<string | number, number> {
  constructor(private readonly name: string) {}

  // The global validation pipe has already turned a `number` parameter into a number (NaN for
  // text), so both forms arrive here.
  transform(value: string | number): number {
    const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
    if (!Number.isInteger(n) || n < 1 || n > INT32_MAX) {
      const message = `${this.name} must be an integer from 1 to ${INT32_MAX}`;
      throw new AppException('validation_failed', message, { errors: [{ field: this.name, message }] });
    }
    return n;
  }
}

/** `@PositiveIntParam('version') version: number`. */
export const PositiveIntParam = (name: string) => Param(name, new PositiveInt32Pipe(name));
