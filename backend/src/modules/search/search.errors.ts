import { defineErrors } from '../../common/errors/domain.exception';

/** Search, saved searches and subscriptions (API-CONTRACT.md, "Search"). */
export class SearchException extends defineErrors('search', {
  saved_search_name_taken: { status: 409, title: 'Saved search name already used' },
}) {}
