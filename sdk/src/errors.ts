import type { FieldError, Problem } from './types.js';

/**
 * Every failure the SDK reports. For an answer of the API it carries the problem+json fields
 * (`status`, `code`, `errors`, `requestId`); branch on `code`, never on the message text.
 * Transport failures have `status` 0 and the code `network_error` or `timeout`.
 */
export class PromptVaultError extends Error {
  /** HTTP status, or 0 when no answer arrived (network error, timeout). */
  readonly status: number;
  /** Machine-readable code: the problem's `code` (e.g. `not_found`, `validation_failed`), or `network_error`, `timeout`, `http_<status>`. */
  readonly code: string;
  /** Field errors of a 400 or 422 (`[{field, message}]`), empty otherwise. */
  readonly errors: FieldError[];
  /** The `X-Request-Id` of the failed request, for support and logs. */
  readonly requestId?: string;
  /** The problem's `type`, `title` and `instance` when the server sent problem+json. */
  readonly type?: string;
  readonly title?: string;
  readonly instance?: string;
  /** Seconds the server asked to wait (`Retry-After` of a 429 or 503). */
  readonly retryAfterSeconds?: number;
  /** The whole problem body, with any extension members (`limit`, `plan`, …). */
  readonly problem?: Problem & Record<string, unknown>;

  constructor(init: {
    message: string;
    status: number;
    code: string;
    errors?: FieldError[];
    requestId?: string;
    type?: string;
    title?: string;
    instance?: string;
    retryAfterSeconds?: number;
    problem?: Problem & Record<string, unknown>;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PromptVaultError';
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.type = init.type;
    this.title = init.title;
    this.instance = init.instance;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.problem = init.problem;
  }

  /** True when the API could not be reached or failed on its side (no answer, timeout, 5xx). */
  get isUnavailable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/**
 * `prompt.render()` with missing required or ill-typed variables: the same `errors` the server's
 * render endpoint answers with 422 `prompt_variables_invalid`.
 */
export class RenderError extends PromptVaultError {
  constructor(errors: FieldError[]) {
    super({
      message: `Variables missing or of the wrong type: ${errors.map((e) => e.message).join('; ')}`,
      status: 422,
      code: 'prompt_variables_invalid',
      errors,
      title: 'Variables missing or of the wrong type',
    });
    this.name = 'RenderError';
  }
}
