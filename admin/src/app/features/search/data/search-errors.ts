import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/**
 * What search says for the codes of the API's search catalogue (backend
 * `modules/search/search.errors.ts`), and which field each belongs under.
 */
export const SEARCH_ERRORS: ErrorCatalogue = {
  saved_search_name_taken: {
    message: 'You already have a saved search named like this. Choose another name.',
    field: 'name',
  },
};
