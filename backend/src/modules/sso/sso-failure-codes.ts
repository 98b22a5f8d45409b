// No imports: the console compiles this file too (admin/tsconfig.json, `@pv/sso-failure-codes`).

/**
 * Why a browser SSO sign-in failed. These are not problem+json codes: the SAML endpoints always
 * redirect, to `/sign-in?ssoError=<code>`, and the console shows a message per code
 * (the console imports this list as `@pv/sso-failure-codes`). Each is also the `reason` of the
 * `auth.login_failed` audit event.
 */
export const SSO_FAILURE_CODES = [
  'not_configured',
  'disabled',
  'invalid_response',
  'invalid_signature',
  'expired',
  'wrong_audience',
  'wrong_issuer',
  'replayed',
  'unsolicited',
  'unknown_request',
  'idp_error',
  'missing_email',
  'account_exists',
  'domain_not_allowed',
  'plan_limit_reached',
  'rate_limited',
  'server_error',
] as const;
export type SsoFailureCode = (typeof SSO_FAILURE_CODES)[number];
