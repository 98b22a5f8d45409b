import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
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
  /** Per query DTO class, the query strings it has accepted (see `knownValidQuery`). */
  private readonly validQueries = new Map<Type<unknown>, Set<string>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    assertSafeInput(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    const key = queryKey(value, metadata);
    const metatype = metadata.metatype as Type<unknown>;
    if (key === null || !this.toValidate(metadata)) return super.transform(value, metadata);
    if (this.validQueries.get(metatype)?.has(key))
      return plainToInstance(metatype, value, this.transformOptions);
    const result: unknown = await super.transform(value, metadata);
    let known = this.validQueries.get(metatype);
    if (!known) this.validQueries.set(metatype, (known = new Set()));
    if (known.size >= MAX_KNOWN_QUERIES) known.clear();
    known.add(key);
    return result;
  }
}

/** Distinct accepted query strings remembered per DTO class (a bound, not a tuning knob). */
const MAX_KNOWN_QUERIES = 1000;
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9]{0,40}$/;

/**
 * Query DTOs are validated by pure rules over a flat object of strings, so a query string that
 * passed once passes again: the same `?limit=20&sort=updated` (and the empty query of a first
 * page) skips class-validator's metadata walk, a few per cent of a list request's CPU, and is only
 * transformed. The key is the query itself, and only for flat string values with plain names
 * (nothing `stripProtoKeys` would have to remove), at most 512 characters; anything else, and
 * every refused query, goes the full way.
 */
function queryKey(value: unknown, metadata: ArgumentMetadata): string | null {
  if (metadata.type !== 'query' || typeof metadata.metatype !== 'function') return null;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  let key = '';
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string' || !PLAIN_KEY.test(name)) return null;
    key += `${name}=${encodeURIComponent(v)}&`;
    if (key.length > 512) return null;
  }
  return key;
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
