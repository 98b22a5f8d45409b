import { describeFailure, problemCode } from '../../core/http/error-catalogue';
import { ProblemError } from '../../core/http/problem';
import { AUTH_ERRORS } from './data/auth-errors';

function retryAfterMinutes(error: ProblemError): number | null {
  const seconds = Number(error.response.headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : null;
}

/** What to tell someone whose sign-in failed (the API answers these silently to the page). */
export function signInErrorMessage(error: unknown): string {
  const code = problemCode(error);
  if (error instanceof ProblemError && (code === 'sign_in_locked' || code === 'rate_limited')) {
    const minutes = retryAfterMinutes(error);
    return minutes
      ? `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
      : 'Too many failed attempts. Try again later.';
  }
  return describeFailure(error, AUTH_ERRORS, 'Signing in failed. Please try again.');
}

/** The `?ssoError=` codes the SAML endpoints send back (docs/sso.md, backend `SsoFailureCode`). */
export const SSO_ERROR_CODES = [
  'not_configured',
  'disabled',
  'invalid_response',
  'invalid_signature',
  'expired',
  'wrong_audience',
  'wrong_issuer',
  'replayed',
  'idp_error',
  'missing_email',
  'account_exists',
  'rate_limited',
  'server_error',
] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];

/** A message for every code (the type makes a missing one a compile error); others are shown as sent. */
const SSO_ERRORS: Record<SsoErrorCode, string> = {
  not_configured: 'Single sign-on is not set up for this organization. Check the organization slug.',
  disabled: 'Single sign-on is turned off for this organization.',
  invalid_response: 'The identity provider’s answer could not be read. Try again.',
  invalid_signature: 'The identity provider’s answer was not signed correctly. Ask your administrator.',
  expired: 'The sign-in took too long or the clocks differ. Start again.',
  wrong_audience: 'The identity provider sent the answer for another application. Ask your administrator.',
  wrong_issuer: 'The answer came from an identity provider this organization does not trust.',
  replayed: 'This sign-in answer was already used. Start again.',
  idp_error: 'Your identity provider refused the sign-in.',
  missing_email: 'Your identity provider did not send an e-mail address. Ask your administrator.',
  account_exists: 'An account with your e-mail already exists and is not a member of this organization.',
  rate_limited:
    'Too many failed single sign-on attempts from this network; wait a few minutes and try again.',
  server_error: 'Single sign-on failed on our side. Try again later.',
};

export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(SSO_ERRORS, code)
    ? SSO_ERRORS[code as SsoErrorCode]
    : `Single sign-on failed: ${code}`;
}
