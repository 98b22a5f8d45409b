import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, AppException } from './domain.exception';
import { assertSafeInput } from '../validation/input-guard';

function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/**
 * Checks every argument before class-transformer walks it: the depth bound and the strings the
 * database cannot hold. The `inputGuard` middleware already saw bodies and queries; here route
 * parameters are checked under their own names (`slug`, `label`), and any route that reaches a
 * handler some other way is covered too.
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertSafeInput(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    return super.transform(value, metadata);
  }
}

/** The one validation pipe: unknown fields are refused, and every failure names its field. */
export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new AppException('validation_failed', 'The request has invalid fields', {
        errors: fieldErrors(errors),
      }),
  });
}
