import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/** What the provider keys page and dialog say for the codes of `modules/provider-keys/provider-keys.errors.ts`. */
export const PROVIDER_KEY_ERRORS: ErrorCatalogue = {
  provider_key_name_taken: {
    message: 'Another provider key already has this name. Choose another one.',
    field: 'name',
  },
};
