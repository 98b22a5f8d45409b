import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { COMMON_ERRORS, errorSpec } from '../errors/domain.exception';
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
  415: 'Unsupported media type',
  422: 'Well-formed but unprocessable',
  429: 'Rate limited',
  502: 'The upstream provider failed',
  503: 'Temporarily unavailable',
  504: 'The upstream provider did not answer in time',
};

/** The code a bare status stands for when a route lists no more specific one. */
const DEFAULT_CODE: Record<number, string> = Object.fromEntries(
  Object.entries(COMMON_ERRORS)
    .reverse()
    .map(([code, spec]) => [spec.status, code]),
);

/**
 * Documents the problem+json answers a route can give, next to its handler. Each argument is an
 * error code (`'prompt_slug_taken'`, from a `<domain>.errors.ts`) or a bare status, which stands
 * for its common code; codes of the same status share one response whose description lists them.
 */
export function ApiProblems(...answers: (number | string)[]) {
  const byStatus = new Map<number, Set<string>>();
  for (const answer of answers) {
    const code = typeof answer === 'number' ? DEFAULT_CODE[answer] : answer;
    const spec = code ? errorSpec(code) : undefined;
    if (!code || !spec) throw new Error(`No error code answers ${String(answer)}`);
    const codes = byStatus.get(spec.status) ?? new Set<string>();
    codes.add(code);
    byStatus.set(spec.status, codes);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDto, FieldErrorDto),
    ...[...byStatus].map(([status, codes]) =>
      ApiResponse({
        status,
        description: `${DESCRIPTIONS[status] ?? 'Error'}. \`code\`: ${[...codes].map((c) => `\`${c}\``).join(', ')}`,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
