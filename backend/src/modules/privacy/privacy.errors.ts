import { defineErrors } from '../../common/errors/domain.exception';

/** Personal data export and erasure (API-CONTRACT.md, "Privacy"; docs/compliance.md#gdpr). */
export class PrivacyException extends defineErrors('privacy', {
  /**
   * Erasing the account needs proof that its holder asks: the password (password accounts), or a
   * sign-in (SSO) less than five minutes old.
   */
  reauthentication_required: { status: 403, title: 'Sign in again to confirm' },
  /** The password given to confirm the erasure is wrong. */
  reauthentication_failed: { status: 403, title: 'The password is wrong' },
  /** API keys act for a user inside one organization; exporting or erasing the account needs a session. */
  privacy_session_required: { status: 403, title: 'Sign in to manage your personal data' },
  /** The user is still a member: remove them from the organization first. */
  privacy_still_member: { status: 409, title: 'The user is still a member of this organization' },
}) {}
