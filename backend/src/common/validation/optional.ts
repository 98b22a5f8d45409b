import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * The field may be absent; when it is present, `null` included, every other rule applies.
 * Use this instead of class-validator's `@IsOptional()`, which also waves `null` through to the
 * services (where `slug: null` or `tags: null` became a 500). A unit test keeps `@IsOptional()`
 * out of the request DTOs.
 */
export function Optional(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/**
 * The field may be absent or `null`, where `null` has a meaning the contract documents (clearing
 * a category, unfiling a prompt); any other value must pass the other rules.
 */
export function Nullable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && value !== null, options);
}
