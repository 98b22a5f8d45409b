import { defineErrors } from '../../common/errors/domain.exception';

/** Tag, category and collection rules (see API-CONTRACT.md, "Taxonomy"). */
export class TaxonomyException extends defineErrors('taxonomy', {
  tag_name_taken: { status: 409, title: 'Tag name already taken' },
  category_name_taken: { status: 409, title: 'Category name already taken' },
  /** A sibling collection has this name (names ignore case). */
  collection_name_taken: { status: 409, title: 'Collection name already taken' },
  /** Delete again with `?cascade=true`, or empty the collection first. */
  collection_not_empty: { status: 409, title: 'Collection not empty' },
  /** The new parent is the collection itself or one of its descendants. */
  collection_cycle: { status: 409, title: 'Collection cannot move under itself' },
}) {}
