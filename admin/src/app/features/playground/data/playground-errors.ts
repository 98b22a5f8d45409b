import { HttpErrorResponse } from '@angular/common/http';
import { describeFailure, ErrorCatalogue, problemCode } from '../../../core/http/error-catalogue';
import { PLAN_LIMIT_REACHED } from '../../../core/http/plan-limit';
import { ProblemError } from '../../../core/http/problem';

/**
 * What the playground says for the codes of a run (backend `playground.errors.ts`, the prompts'
 * `prompt_variables_invalid`, billing's `budget_exceeded`). Decisions are taken on the code only.
 */
export const PLAYGROUND_ERRORS: ErrorCatalogue = {
  provider_key_missing: {
    message: 'Your organization has no API key for this model’s provider. An OWNER or ADMIN adds one.',
  },
  provider_key_unreadable: {
    message: 'The provider key cannot be decrypted any more. An OWNER or ADMIN has to add it again.',
  },
  prompt_variables_invalid: { message: 'Some variables are missing or invalid: see the fields above.' },
  provider_error: { message: 'The model provider answered with an error.' },
  provider_rate_limited: { message: 'The model provider is rate limiting this key.' },
  provider_timeout: {
    message: 'The model provider did not answer in time. Try again, or a smaller request.',
  },
  provider_unreachable: { message: 'The model provider could not be reached.' },
  budget_exceeded: {
    message: 'Your organization reached its monthly spending limit. An OWNER or ADMIN can raise it.',
  },
  [PLAN_LIMIT_REACHED]: { message: 'Your plan’s limit is reached.' },
  not_found: { message: 'Not found: the prompt, version or key was deleted or is private to its author.' },
};

/** A failed run, estimate or comparison as the page shows it. */
export interface RunFailure {
  message: string;
  code: string | null;
  /** A page that fixes it (the provider keys page for a missing key). */
  link: { path: string; label: string } | null;
  /** Seconds to wait before retrying (429 `Retry-After`). */
  retryAfter: number | null;
  /** The provider's own HTTP status (`provider_error`), when it sent one. */
  providerStatus: number | null;
  /** Messages per variable name (`prompt_variables_invalid`, 400 on `variables.*`). */
  variableErrors: Record<string, string>;
}

const KEY_CODES = new Set(['provider_key_missing', 'provider_key_unreadable']);

function retryAfterOf(error: ProblemError): number | null {
  const header = error.response.headers?.get('retry-after');
  const fromHeader = header ? Number(header) : NaN;
  if (Number.isFinite(fromHeader)) return fromHeader;
  const fromBody = error.problem.extensions?.['retryAfter'];
  return typeof fromBody === 'number' ? fromBody : null;
}

export function describeRunFailure(error: unknown): RunFailure {
  const code = problemCode(error);
  let message = describeFailure(error, PLAYGROUND_ERRORS, 'The run failed. Please try again.');
  const failure: RunFailure = {
    message,
    code,
    link: null,
    retryAfter: null,
    providerStatus: null,
    variableErrors: {},
  };
  if (code && KEY_CODES.has(code)) failure.link = { path: '/provider-keys', label: 'Provider keys' };
  if (code === 'budget_exceeded') failure.link = { path: '/billing', label: 'Billing' };
  if (error instanceof ProblemError) {
    const providerStatus = error.problem.extensions?.['providerStatus'];
    if (typeof providerStatus === 'number') {
      failure.providerStatus = providerStatus;
      message += ` (provider status ${providerStatus})`;
    }
    if (error.status === 429) {
      failure.retryAfter = retryAfterOf(error);
      if (failure.retryAfter !== null) message += ` Try again in ${failure.retryAfter} s.`;
    }
    if (error.problem.detail && code === 'provider_error') message += ` ${error.problem.detail}`;
    for (const { field, message: text } of error.problem.errors ?? []) {
      const name = field.replace(/^variables\./, '');
      if (name !== field || code === 'prompt_variables_invalid') failure.variableErrors[name] = text;
    }
  } else if (error instanceof HttpErrorResponse && error.status === 0) {
    failure.code = null;
  }
  failure.message = message;
  return failure;
}
