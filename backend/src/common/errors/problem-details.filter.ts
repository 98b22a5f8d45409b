import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { translateDatabaseError } from '../../database/errors';
import {
  AppException,
  COMMON_ERRORS,
  CommonErrorCode,
  DomainException,
  FieldError,
} from './domain.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId?: string;
  /** The machine-readable code: common (COMMON_ERRORS) or a domain's (`<domain>.errors.ts`). */
  code: string;
  errors?: FieldError[];
  /** Domain-specific members (e.g. `limit`, `max` of plan_limit_reached). */
  [extension: string]: unknown;
}

const STATUS_CODES: Partial<Record<number, CommonErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Errors raised by Express' body parser before any Nest handler runs. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps anything thrown to RFC 9457 problem+json; internals are logged, never sent. */
export function toProblem(exception: unknown, instance: string, requestId?: string): ProblemDetails {
  exception = translateDatabaseError(exception) ?? exception;
  if (exception instanceof DomainException) {
    return {
      ...exception.extensions,
      type: problemType(exception.code),
      title: exception.title,
      status: exception.status,
      detail: exception.message,
      instance,
      requestId,
      code: exception.code,
      ...(exception.errors?.length ? { errors: exception.errors } : {}),
    };
  }
  let code: CommonErrorCode = 'internal';
  let detail: string | undefined;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    code = STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null
        ? (response as { message?: unknown }).message
        : response;
    detail = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : exception.message;
    if (status === 404 && /^Cannot [A-Z]+ /.test(detail)) {
      code = 'route_not_found';
      detail = `There is no route ${detail.replace(/^Cannot /, '')}`;
    }
  }

  const { status, title } = COMMON_ERRORS[code];
  return { type: problemType(code), title, status, detail: detail ?? title, instance, requestId, code };
}

const problemType = (code: string) => `https://promptvault.dev/problems/${code.replace(/_/g, '-')}`;

function isBodyParserError(e: unknown): e is BodyParserError {
  return (
    e instanceof Error &&
    typeof (e as BodyParserError).type === 'string' &&
    typeof (e as BodyParserError).status === 'number'
  );
}

/**
 * Express error middleware placed right after the body parsers: turns their errors into domain
 * errors, which Nest then hands to the global filter like any other.
 */
export function bodyParserErrors(
  err: unknown,
  _req: unknown,
  _res: unknown,
  next: (err?: unknown) => void,
): void {
  if (!isBodyParserError(err)) return next(err);
  switch (err.type) {
    case 'entity.parse.failed':
      return next(new AppException('malformed_json', 'The request body is not valid JSON'));
    case 'entity.too.large':
      return next(
        new AppException('payload_too_large', 'The request body is larger than the server accepts'),
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return next(new AppException('unsupported_media_type', err.message));
    default:
      return next(new AppException(STATUS_CODES[err.status ?? 400] ?? 'bad_request', err.message));
  }
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const problem = toProblem(exception, req.originalUrl ?? req.url, req.id);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: req.id }, 'Unhandled error');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (exception instanceof DomainException && exception.headers) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
