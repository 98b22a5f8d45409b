import { AppException } from '../../common/errors/domain.exception';
import { normalizeFilters, toEngineFilters } from './search-filters';

describe('search filters', () => {
  it('reads a date-only end as the whole day and an ISO date-time as given', () => {
    const f = toEngineFilters({
      createdFrom: '2024-03-01',
      createdTo: '2024-03-01',
      updatedTo: '2024-03-02T10:00:00Z',
    });
    expect(f.createdFrom?.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(f.createdTo?.toISOString()).toBe('2024-03-01T23:59:59.999Z');
    expect(f.updatedTo?.toISOString()).toBe('2024-03-02T10:00:00.000Z');
    expect(f.tagMode).toBe('and');
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => toEngineFilters({ updatedFrom: '2024-03-02', updatedTo: '2024-03-01' })).toThrow(
      AppException,
    );
  });

  it('normalizes so that equal searches compare equal', () => {
    expect(
      normalizeFilters({
        tags: ['b', 'a'],
        tagMode: 'and',
        favorites: false,
        sort: 'relevance',
        status: 'draft',
      }),
    ).toEqual({ tags: ['a', 'b'], status: 'draft' });
    expect(JSON.stringify(normalizeFilters({ status: 'draft', tags: ['x'] }))).toBe(
      JSON.stringify(normalizeFilters({ tags: ['x'], status: 'draft' })),
    );
  });
});
