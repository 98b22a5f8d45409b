import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/**
 * What the organization pages and dialogs say for the codes of the API's organizations catalogue
 * (backend `modules/organizations/organizations.errors.ts`), and which field each belongs under.
 */
export const ORGANIZATION_ERRORS: ErrorCatalogue = {
  organization_slug_taken: {
    message: 'Another organization already uses this slug. Choose another one.',
    field: 'slug',
  },
  already_member: { message: 'This person is already a member of the organization.', field: 'email' },
  last_owner: {
    message: 'An organization needs at least one OWNER. Make someone else OWNER first.',
  },
  // The upgrade dialog explains the limit; the form only says why nothing was sent.
  plan_limit_reached: {
    message:
      'The plan’s member limit is reached (pending invitations count). Upgrade or revoke an invitation.',
  },
};
