import { SSO_FAILURE_CODES, type SsoFailureCode } from '@pv/sso-failure-codes';
import { describeFailure, ErrorCatalogue, problemCode } from '../../../core/http/error-catalogue';
import { ProblemError } from '../../../core/http/problem';

/*
 * Every failure message of the auth feature: the problem codes below, sign-in failures and the
 * `?ssoError=` codes of the SAML redirects.
 */

/**
 * What the account pages say for the codes of the API's auth and organizations catalogues
 * (backend `modules/auth/auth.errors.ts`, `modules/organizations/organizations.errors.ts`).
 */
export const AUTH_ERRORS: ErrorCatalogue = {
  email_taken: { message: 'An account with this e-mail already exists. Sign in instead.', field: 'email' },
  invalid_credentials: { message: 'Wrong e-mail or password.' },
  email_not_verified: {
    message: 'Your e-mail address is not verified yet. Open the link in the verification e-mail we sent you.',
  },
  sso_required: { message: 'Your organization requires single sign-on. Use "Sign in with SSO" below.' },
  current_password_wrong: { message: 'The current password is wrong', field: 'currentPassword' },
  link_invalid: { message: 'This link is not valid. Check that you copied all of it.' },
  link_used: { message: 'This link was already used.' },
  link_expired: { message: 'This link has expired. Ask for a new one.' },
  sso_code_invalid: { message: 'This sign-in link is no longer valid. Start single sign-on again.' },
  invite_revoked: { message: 'This invitation was revoked. Ask for a new one.' },
  invite_expired: { message: 'This invitation has expired. Ask for a new one.' },
  invite_already_accepted: { message: 'This invitation was already accepted.' },
  invite_no_longer_valid: { message: 'This invitation is no longer valid. Ask for a new one.' },
  invite_email_mismatch: {
    message:
      'This invitation was sent to another e-mail address. Sign in with the e-mail address the invitation was sent to.',
  },
};

/** On the invitation pages an unknown token (the common `not_found`) means the invitation. */
export const INVITE_ERRORS: ErrorCatalogue = {
  ...AUTH_ERRORS,
  not_found: { message: 'This invitation does not exist. Check the link, or ask for a new invitation.' },
};

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
export const SSO_ERROR_CODES = SSO_FAILURE_CODES;
export type SsoErrorCode = SsoFailureCode;

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
  unsolicited: 'This organization accepts only sign-ins started here: choose "Sign in with SSO" below.',
  unknown_request:
    'This sign-in answer does not match a sign-in started here, or it came too late. Start again.',
  idp_error: 'Your identity provider refused the sign-in.',
  missing_email: 'Your identity provider did not send an e-mail address. Ask your administrator.',
  account_exists: 'An account with your e-mail already exists and is not a member of this organization.',
  domain_not_allowed:
    'This organization accepts new members only from its own e-mail domains. Ask your administrator.',
  plan_limit_reached:
    'This organization’s plan has no room for another member. Ask its owner to upgrade the plan.',
  rate_limited:
    'Too many failed single sign-on attempts from this network; wait a few minutes and try again.',
  server_error: 'Single sign-on failed on our side. Try again later.',
};

export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(SSO_ERRORS, code)
    ? SSO_ERRORS[code as SsoErrorCode]
    : `Single sign-on failed: ${code}`;
}
