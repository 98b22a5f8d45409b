import { Injectable } from '@nestjs/common';
import { requireAccess } from '../../authz/require-access';
import type { Caller } from '../../common/context/request-context';
import { notFound } from '../../common/errors/domain.exception';
import { isUniqueViolation } from '../../database/errors';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { CreateSavedSearchDto } from './dto/search.dto';
import { RecentSearchResponseDto, SavedSearchResponseDto } from './dto/search.response.dto';
import { SavedSearch, SearchSubscription } from './entities/saved-search.entity';
import { normalizeFilters, SavedFilters, toEngineFilters } from './search-filters';
import { SearchException } from './search.errors';

interface SavedRow {
  id: string;
  user_id: string;
  name: string;
  query: string;
  filters: SavedFilters;
  shared: boolean;
  subscribed: boolean;
  created_at: Date;
}

const toDto = (r: SavedRow): SavedSearchResponseDto => ({
  id: r.id,
  name: r.name,
  query: r.query,
  filters: r.filters,
  shared: r.shared,
  subscribed: r.subscribed,
  userId: r.user_id,
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * Saved searches (own, and shared with the organization), subscriptions to their daily digest and
 * the caller's recent searches. Row-level security shows a member only their own and the shared
 * saved searches, and only their own subscriptions and recent searches.
 */
@Injectable()
export class SavedSearchesService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
  ) {}

  async list({ organizationId, userId }: Caller): Promise<SavedSearchResponseDto[]> {
    const rows: SavedRow[] = await this.transactions.manager.query(
      `SELECT s.id, s.user_id, s.name, s.query, s.filters, s.shared, s.created_at,
              (sub.user_id IS NOT NULL) AS subscribed
         FROM saved_searches s
         LEFT JOIN search_subscriptions sub ON sub.saved_search_id = s.id AND sub.user_id = $2
        WHERE s.organization_id = $1 AND (s.shared OR s.user_id = $2)
        ORDER BY (s.user_id = $2) DESC, lower(s.name), s.id`,
      [organizationId, userId],
    );
    return rows.map(toDto);
  }

  async create(
    { organizationId, userId }: Caller,
    dto: CreateSavedSearchDto,
  ): Promise<SavedSearchResponseDto> {
    const filters = normalizeFilters(dto.filters ?? {});
    toEngineFilters(filters); // the same checks a search makes (e.g. a range ending before it starts)
    const em = this.transactions.manager;
    const row = em.create(SavedSearch, {
      organizationId,
      userId,
      name: dto.name,
      query: dto.query.trim(),
      filters,
      shared: dto.shared ?? false,
    });
    try {
      await em.save(row);
    } catch (err) {
      if (!isUniqueViolation(err, 'saved_searches_org_user_name_key')) throw err;
      // The request's transaction rolls back with this error.
      throw new SearchException(
        'saved_search_name_taken',
        `You already have a saved search named "${dto.name}"`,
        {
          errors: [{ field: 'name', message: 'name is already used by one of your saved searches' }],
        },
      );
    }
    if (dto.subscribed) await this.insertSubscription(organizationId, row.id, userId);
    await this.audit.record({
      action: 'saved_search.created',
      target: { type: 'saved_search', id: row.id },
      changes: {
        name: row.name,
        query: row.query,
        filters,
        shared: row.shared,
        subscribed: !!dto.subscribed,
      },
    });
    return toDto({
      id: row.id,
      user_id: userId,
      name: row.name,
      query: row.query,
      filters,
      shared: row.shared,
      subscribed: !!dto.subscribed,
      created_at: row.createdAt,
    });
  }

  /** Your own saved search; OWNER and ADMIN may also remove a shared one of someone else. */
  async remove(caller: Caller, id: string): Promise<void> {
    const { organizationId } = caller;
    const em = this.transactions.manager;
    const search = await this.visible(organizationId, id);
    requireAccess(
      caller,
      'delete',
      { __type: 'SavedSearch', createdById: search.userId },
      'Only its owner, an OWNER or an ADMIN may delete a shared saved search',
    );
    await em.delete(SavedSearch, { id, organizationId });
    await this.audit.record({
      action: 'saved_search.deleted',
      target: { type: 'saved_search', id },
      changes: { name: search.name, ownerId: search.userId, shared: search.shared },
    });
  }

  /** Daily e-mail of new matches, for any saved search the caller can see. */
  async subscribe({ organizationId, userId }: Caller, id: string): Promise<void> {
    await this.visible(organizationId, id);
    if (!(await this.insertSubscription(organizationId, id, userId))) return;
    await this.audit.record({ action: 'saved_search.subscribed', target: { type: 'saved_search', id } });
  }

  async unsubscribe({ organizationId, userId }: Caller, id: string): Promise<void> {
    await this.visible(organizationId, id);
    const res = await this.transactions.manager.delete(SearchSubscription, { savedSearchId: id, userId });
    if (res.affected) {
      await this.audit.record({ action: 'saved_search.unsubscribed', target: { type: 'saved_search', id } });
    }
  }

  async recent({ organizationId, userId }: Caller): Promise<RecentSearchResponseDto[]> {
    const rows: Array<{ query: string; filters: SavedFilters; searched_at: Date }> =
      await this.transactions.manager.query(
        `SELECT query, filters, searched_at FROM recent_searches
          WHERE organization_id = $1 AND user_id = $2 ORDER BY searched_at DESC, id DESC LIMIT 20`,
        [organizationId, userId],
      );
    return rows.map((r) => ({
      query: r.query,
      filters: r.filters,
      searchedAt: new Date(r.searched_at).toISOString(),
    }));
  }

  private async visible(organizationId: string, id: string): Promise<SavedSearch> {
    const search = await this.transactions.manager.findOneBy(SavedSearch, { id, organizationId });
    if (!search) throw notFound('Saved search');
    return search;
  }

  private async insertSubscription(
    organizationId: string,
    savedSearchId: string,
    userId: string,
  ): Promise<boolean> {
    // ON CONFLICT: parallel PUTs of the same subscription all succeed and exactly one inserts it.
    const inserted: unknown[] = await this.transactions.manager.query(
      `INSERT INTO search_subscriptions (organization_id, saved_search_id, user_id, last_notified_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING saved_search_id`,
      [organizationId, savedSearchId, userId, new Date()],
    );
    return inserted.length > 0;
  }
}
