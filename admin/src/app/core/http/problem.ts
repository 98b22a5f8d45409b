import { HttpErrorResponse } from '@angular/common/http';
import { humanFieldMessage } from './field-messages';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details as the API sends them (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  code?: string;
  errors?: FieldError[];
  /**
   * The members beyond the standard ones that a code carries (RFC 9457 extension members), e.g.
   * `limit`, `max`, `current` and `upgradeUrl` of `plan_limit_reached`. Absent when there are none.
   */
  extensions?: Record<string, unknown>;
}

const STANDARD_MEMBERS = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'requestId',
  'code',
  'errors',
]);

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * A failed API call carrying its parsed problem document. `notified` tells the caller
 * whether the user already saw a snackbar, so pages do not report the same error twice.
 */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly response: HttpErrorResponse,
    readonly notified: boolean,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** Field errors keyed by field name, in the console's wording, for inline form messages. */
  fieldErrors(): Record<string, string[]> {
    const byField: Record<string, string[]> = {};
    for (const { field, message } of this.problem.errors ?? []) {
      (byField[field] ??= []).push(humanFieldMessage(field, message));
    }
    return byField;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

/** The problem document of an error response, or null when the server sent something else. */
export function readProblem(response: HttpErrorResponse): Problem | null {
  const contentType = response.headers?.get('content-type') ?? '';
  if (!contentType.toLowerCase().includes(PROBLEM_CONTENT_TYPE)) return null;
  const body = parseBody(response.error);
  if (!isRecord(body) || typeof body['title'] !== 'string') return null;
  const errors = Array.isArray(body['errors'])
    ? body['errors'].filter(
        (e): e is FieldError =>
          isRecord(e) && typeof e['field'] === 'string' && typeof e['message'] === 'string',
      )
    : undefined;
  return {
    type: typeof body['type'] === 'string' ? body['type'] : 'about:blank',
    title: body['title'],
    status: typeof body['status'] === 'number' ? body['status'] : response.status,
    detail: typeof body['detail'] === 'string' ? body['detail'] : undefined,
    instance: typeof body['instance'] === 'string' ? body['instance'] : undefined,
    requestId:
      typeof body['requestId'] === 'string'
        ? body['requestId']
        : (response.headers.get('x-request-id') ?? undefined),
    code: typeof body['code'] === 'string' ? body['code'] : undefined,
    errors: errors?.length ? errors : undefined,
    extensions: extensionsOf(body),
  };
}

function extensionsOf(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(body).filter(([name]) => !STANDARD_MEMBERS.has(name));
  return entries.length ? Object.fromEntries(entries) : undefined;
}
