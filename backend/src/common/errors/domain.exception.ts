/** A field-level problem reported with a 400 or 422 answer. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Every domain error code the API can answer with, mapped once to its HTTP status and title.
 * Services throw DomainException with one of these codes; the global filter turns it into
 * problem+json. Adding a code here forces a status and title for it (the record is exhaustive).
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: 'Invalid input' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  bad_request: { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid e-mail or password' },
  forbidden: { status: 403, title: 'Not allowed' },
  email_not_verified: { status: 403, title: 'E-mail not verified' },
  sso_required: { status: 403, title: 'Sign in with SSO' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  conflict: { status: 409, title: 'Conflict' },
  email_taken: { status: 409, title: 'E-mail already registered' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable input' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: FieldError[],
    /** Extra response headers the answer must carry (e.g. Retry-After on 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'DomainException';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get title(): string {
    return ERROR_CODES[this.code].title;
  }
}

export const notFound = (what: string) => new DomainException('not_found', `${what} was not found`);
