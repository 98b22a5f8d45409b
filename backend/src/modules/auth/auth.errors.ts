import { defineErrors } from '../../common/errors/domain.exception';

/** Sign-up, sign-in, sessions and account links (see API-CONTRACT.md, "Authentication"). */
export class AuthException extends defineErrors('auth', {
  email_taken: { status: 409, title: 'E-mail already registered' },
  invalid_credentials: { status: 401, title: 'Invalid e-mail or password' },
  email_not_verified: { status: 403, title: 'E-mail not verified' },
  sso_required: { status: 403, title: 'Sign in with SSO' },
  /** Too many failed sign-ins for this e-mail or address; `Retry-After` says when to try again. */
  sign_in_locked: { status: 429, title: 'Too many failed sign-ins' },
  /** A cookie-mode request (`X-Session-Mode: cookie`) from an origin other than the console's. */
  origin_not_allowed: { status: 403, title: 'Origin not allowed' },
  current_password_wrong: { status: 400, title: 'Current password is wrong' },
  refresh_token_invalid: { status: 401, title: 'Refresh token not valid' },
  refresh_token_expired: { status: 401, title: 'Refresh token expired' },
  /** A rotated refresh token came back: its whole session has been ended. */
  refresh_token_reused: { status: 401, title: 'Refresh token already used' },
  /** The access token's session was ended (logout, refresh-token reuse, password reset or change). */
  session_revoked: { status: 401, title: 'Session ended' },
  account_gone: { status: 401, title: 'Account no longer exists' },
  link_invalid: { status: 404, title: 'Link not valid' },
  link_used: { status: 410, title: 'Link already used' },
  link_expired: { status: 410, title: 'Link expired' },
}) {}
