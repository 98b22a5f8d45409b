import { isUniqueViolation } from '../../database/errors';
import type { AuditService } from '../audit/audit.service';
import { TaxonomyException } from './taxonomy.errors';

/** Each taxonomy name's unique key (names ignore case) and the 409 a taken name answers. */
const NAME_KEYS = {
  tag: {
    constraint: 'tags_org_name_key',
    code: 'tag_name_taken',
    detail: (name: string) => `A tag named "${name}" already exists`,
    field: 'a tag with this name already exists (names ignore case)',
  },
  category: {
    constraint: 'categories_org_name_key',
    code: 'category_name_taken',
    detail: (name: string) => `A category named "${name}" already exists`,
    field: 'a category with this name already exists (names ignore case)',
  },
  collection: {
    constraint: 'collections_org_parent_name_key',
    code: 'collection_name_taken',
    detail: (name: string) => `A collection named "${name}" already exists at this place in the tree`,
    field: 'a sibling collection has this name (names ignore case)',
  },
} as const;

/**
 * The one way a tag, category or collection name is written (`write`): under the organization's
 * audit chain lock, taken first, and with a hit on the name's unique key answered by the
 * contract's 409 (`tag_name_taken`, …). The lock first: a transaction holding it (an import batch,
 * a prompt save) may be about to write the same name, and would wait for our uncommitted row while
 * we waited for its lock (docs/architecture.md, "Lock order within an organization").
 * TagsService.createForTagging takes the lock the same way before its inserts.
 */
export async function writeName<T>(
  audit: AuditService,
  organizationId: string,
  kind: keyof typeof NAME_KEYS,
  name: string,
  write: () => Promise<T>,
): Promise<T> {
  const key = NAME_KEYS[kind];
  await audit.lockChain(organizationId);
  try {
    return await write();
  } catch (err) {
    if (!isUniqueViolation(err, key.constraint)) throw err;
    throw new TaxonomyException(key.code, key.detail(name), {
      errors: [{ field: 'name', message: key.field }],
    });
  }
}
