import { ErrorCatalogue } from '../../../core/http/error-catalogue';

/** What the tag and category pages say for the taxonomy codes (backend `taxonomy.errors.ts`). */
export const TAXONOMY_ERRORS: ErrorCatalogue = {
  tag_name_taken: {
    message: 'Another tag already has this name (names ignore case). Merge them instead.',
    field: 'name',
  },
  category_name_taken: {
    message: 'Another category already has this name (names ignore case).',
    field: 'name',
  },
};
