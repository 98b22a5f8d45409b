import { defineErrors } from '../../common/errors/domain.exception';
import type { Actor } from '../../common/context/request-context';

/**
 * Problem+json errors of the SSO code exchange (API-CONTRACT.md, "SSO"). Settings input errors
 * are `validation_failed` with field `errors`; role denials are `forbidden`, like every ability check.
 */
export class SsoException extends defineErrors('sso', {
  /** The one-time code from `/sso/callback` is unknown, used or expired. */
  sso_code_invalid: { status: 401, title: 'Sign-in code not valid' },
  /**
   * A session that an organization's IdP signed in (SSO) was used in another organization. Not a
   * 401: the session is valid, refreshing it cannot help. The console answers by sending the user
   * through that organization's own sign-in (password, or its SSO); `organizationId` names it.
   */
  sso_session_scope: { status: 403, title: 'Sign in to this organization' },
}) {}

export { SSO_FAILURE_CODES, type SsoFailureCode } from './sso-failure-codes';
import type { SsoFailureCode } from './sso-failure-codes';

/** A refused SSO sign-in: its redirect code, a detail for logs/audit and who tried, when known. */
export class SsoFailure extends Error {
  constructor(
    readonly code: SsoFailureCode,
    detail: string,
    readonly actor?: Actor,
  ) {
    super(detail);
    this.name = 'SsoFailure';
  }
}
