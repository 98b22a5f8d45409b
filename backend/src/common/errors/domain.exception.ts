/** A field-level problem reported with a 400 or 422 answer. */
export interface FieldError {
  field: string;
  message: string;
}

/** The HTTP status and the short, fixed title of one error code. */
export interface ErrorSpec {
  status: number;
  title: string;
}

/** Everything an error answer may carry besides its code and detail. */
export interface ProblemExtras {
  /** Field errors (400/422). */
  errors?: FieldError[];
  /** Extra response headers (e.g. Retry-After on 429). */
  headers?: Record<string, string>;
  /** Extra members of the problem body (e.g. `limit`, `max` of plan_limit_reached). */
  extensions?: Record<string, unknown>;
}

/** Every code of every domain, registered once when its `<domain>.errors.ts` is loaded. */
const REGISTRY = new Map<string, ErrorSpec & { domain: string }>();

/** The status and title of a registered code (Swagger, docs and the filter read it). */
export function errorSpec(code: string): (ErrorSpec & { domain: string }) | undefined {
  return REGISTRY.get(code);
}

/** All registered codes, by domain (for docs and the OpenAPI document). */
export function registeredErrors(): ReadonlyMap<string, ErrorSpec & { domain: string }> {
  return REGISTRY;
}

/**
 * The base of every error a service throws. Each domain defines its own subclass with its own
 * codes through `defineErrors` in `<domain>.errors.ts`; the one problem+json filter maps any of
 * them to an answer with `code`, so clients branch on codes, never on message text.
 */
export abstract class DomainException extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly extensions?: Record<string, unknown>;

  protected constructor(
    readonly code: string,
    spec: ErrorSpec,
    detail?: string,
    extras: ProblemExtras = {},
  ) {
    super(detail ?? spec.title);
    this.name = new.target.name;
    this.status = spec.status;
    this.title = spec.title;
    this.errors = extras.errors;
    this.headers = extras.headers;
    this.extensions = extras.extensions;
  }
}

/** The constructor `defineErrors` returns: `new PromptException('prompt_slug_taken', detail)`. */
export interface DomainExceptionClass<C extends string> {
  new (code: C, detail?: string, extras?: ProblemExtras): DomainException & { readonly code: C };
  readonly domain: string;
  readonly codes: Readonly<Record<C, ErrorSpec>>;
}

/**
 * Declares a domain's error codes (each with its status and title) and returns the exception
 * class that throws them. A code belongs to exactly one domain: registering it twice fails at
 * start, so two domains cannot give one code two meanings.
 */
export function defineErrors<const T extends Record<string, ErrorSpec>>(
  domain: string,
  codes: T,
): DomainExceptionClass<keyof T & string> {
  for (const [code, spec] of Object.entries(codes)) {
    const existing = REGISTRY.get(code);
    if (existing && existing.domain !== domain) {
      throw new Error(`Error code "${code}" is defined by both "${existing.domain}" and "${domain}"`);
    }
    REGISTRY.set(code, { ...spec, domain });
  }
  class DomainError extends DomainException {
    static readonly domain = domain;
    static readonly codes = codes;
    constructor(code: keyof T & string, detail?: string, extras?: ProblemExtras) {
      super(code, codes[code], detail, extras);
    }
  }
  return DomainError;
}

/** Codes that belong to no one domain: input, authentication, transport. */
export const COMMON_ERRORS = {
  validation_failed: { status: 400, title: 'Invalid input' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  bad_request: { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  /** A 409 with no code of its own (e.g. a framework exception); services throw a specific code. */
  conflict: { status: 409, title: 'Conflict' },
  /** Lost a serialization race or a deadlock: the same request may simply be sent again. */
  concurrent_change: { status: 409, title: 'Concurrent change; retry' },
  /** A delete that other records still refer to (a foreign key): remove or move those first. */
  still_referenced: { status: 409, title: 'Still referenced' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable input' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, ErrorSpec>;

export type CommonErrorCode = keyof typeof COMMON_ERRORS;

/** Errors of no particular domain (see COMMON_ERRORS); domains use their own class for their rules. */
export class AppException extends defineErrors('common', COMMON_ERRORS) {}

export const notFound = (what: string) => new AppException('not_found', `${what} was not found`);
