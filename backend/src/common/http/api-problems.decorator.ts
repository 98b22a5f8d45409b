import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES } from '../errors/domain.exception';
import { FieldErrorDto, ProblemDto } from './problem.dto';

export { FieldErrorDto, ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`errors` names each field)',
  401: 'Not authenticated',
  403: 'Authenticated, but the role does not allow this',
  404: 'Absent, or in another organization',
  409: 'Conflict',
  410: 'Expired',
  413: 'Payload too large',
  422: 'Well-formed but unprocessable',
  429: 'Rate limited',
};

/** Documents the problem+json answers a route can give, once, next to its handler. */
export function ApiProblems(...statuses: number[]) {
  const known = new Set<number>(Object.values(ERROR_CODES).map((c) => c.status));
  return applyDecorators(
    ApiExtraModels(ProblemDto, FieldErrorDto),
    ...statuses.map((status) => {
      if (!known.has(status)) throw new Error(`No error code answers ${status}`);
      return ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      });
    }),
  );
}
