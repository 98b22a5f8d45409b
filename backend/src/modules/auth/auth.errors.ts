import { defineErrors } from '../../common/errors/domain.exception';

/** Sign-up, sign-in and account errors (see API-CONTRACT.md, "Authentication"). */
export class AuthException extends defineErrors('auth', {
  email_taken: { status: 409, title: 'E-mail already registered' },
  invalid_credentials: { status: 401, title: 'Invalid e-mail or password' },
  email_not_verified: { status: 403, title: 'E-mail not verified' },
  sso_required: { status: 403, title: 'Sign in with SSO' },
}) {}
