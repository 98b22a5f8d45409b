import { Param, ParseUUIDPipe } from '@nestjs/common';
import { DomainException } from '../errors/domain.exception';

/** A route parameter that must be a UUID (400 with a field error otherwise). */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new DomainException('validation_failed', `${name} must be a UUID`, [
          { field: name, message: `${name} must be a UUID` },
        ]),
    }),
  );
