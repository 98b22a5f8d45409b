import { ErrorCatalogue } from '../../../core/http/error-catalogue';

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
