import { defineErrors } from '../../common/errors/domain.exception';

/** Organizations, memberships and invitations (API-CONTRACT.md, "Organizations"). */
export class OrganizationException extends defineErrors('organizations', {
  organization_slug_taken: { status: 409, title: 'Organization slug already taken' },
  already_member: { status: 409, title: 'Already a member of this organization' },
  last_owner: { status: 409, title: 'An organization needs at least one OWNER' },
  invite_revoked: { status: 410, title: 'Invitation revoked' },
  invite_expired: { status: 410, title: 'Invitation expired' },
  invite_already_accepted: { status: 410, title: 'Invitation already accepted' },
  /** Accepted or revoked by someone else while this acceptance was under way. */
  invite_no_longer_valid: { status: 410, title: 'Invitation no longer valid' },
  invite_email_mismatch: { status: 403, title: 'Invitation is for another e-mail address' },
  /** The organization limits members to its allowed e-mail domains (organization settings). */
  email_domain_not_allowed: { status: 400, title: 'E-mail domain not allowed in this organization' },
}) {}
