import { isUniqueViolation } from '../../database/errors';
import type { AuditService } from '../audit/audit.service';
import type { TaxonomyException } from './taxonomy.errors';

/**
 * The one way a tag, category or collection name is written (`write`): under the organization's
 * audit chain lock, taken first, and with a hit on the name's unique key (`constraint`, names
 * ignore case) answered by `taken()`, the contract's 409. The lock first: a transaction holding it
 * (an import batch, a prompt save) may be about to write the same name, and would wait for our
 * uncommitted row while we waited for its lock (docs/architecture.md, "Lock order within an
 * organization"). TagsService.createForTagging takes the lock the same way before its inserts.
 */
export async function writeName<T>(
  audit: AuditService,
  organizationId: string,
  constraint: string,
  taken: () => TaxonomyException,
  write: () => Promise<T>,
): Promise<T> {
  await audit.lockChain(organizationId);
  try {
    return await write();
  } catch (err) {
    if (!isUniqueViolation(err, constraint)) throw err;
    throw taken();
  }
}
