import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppException } from '../errors/domain.exception';

/** A route parameter that must be a UUID (400 with a field error otherwise). */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new AppException('validation_failed', `${name} must be a UUID`, {
          errors: [{ field: name, message: `${name} must be a UUID` }],
        }),
    }),
  );
