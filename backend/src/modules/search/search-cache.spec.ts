import { loadConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { LruMap, SearchCache } from './search-cache';

describe('LruMap', () => {
  it('drops the least recently used entry beyond its capacity', () => {
    const map = new LruMap<number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // now b is the least recent
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('counts heavier entries as several and never keeps one larger than the whole', () => {
    const map = new LruMap<string>(5);
    map.set('a', 'x', 2);
    map.set('b', 'y', 2);
    map.set('c', 'z', 3); // 7 > 5: drops a (the least recent), then fits
    expect(map.get('a')).toBeUndefined();
    expect(map.get('b')).toBe('y');
    expect(map.get('c')).toBe('z');
    expect(map.size).toBe(5);
    map.set('c', 'w', 1); // replacing an entry releases its old weight
    expect(map.size).toBe(3);
    map.set('huge', 'v', 6);
    expect(map.get('huge')).toBeUndefined();
    expect(map.get('c')).toBe('w');
  });

  it('keeps nothing with capacity 0', () => {
    const map = new LruMap<number>(0);
    map.set('a', 1);
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(0);
  });
});

describe('SearchCache', () => {
  const cache = (entries: string) =>
    new SearchCache(
      loadConfig({ NODE_ENV: 'test', SEARCH_CACHE_ENTRIES: entries, DATA_DIR: '/tmp' }),
      {} as TenantTransactions,
    );
  const generation = (value: string) => ({ value, settled: true });

  it('serves an entry only under the generation it was stored with', () => {
    const c = cache('10');
    c.setResult('k', generation('7'), { total: 1 });
    expect(c.getResult('k', generation('7'))).toEqual({ total: 1 });
    expect(c.getResult('k', generation('8'))).toBeUndefined();
    c.setExpansion('org', 'sumarize', generation('7'), ['summarize']);
    expect(c.getExpansion('org', 'sumarize', generation('7'))).toEqual(['summarize']);
    expect(c.getExpansion('org', 'sumarize', generation('8'))).toBeUndefined();
    expect(c.getExpansion('other', 'sumarize', generation('7'))).toBeUndefined();
  });

  it('serves an answer for at most SEARCH_CACHE_TTL_SECONDS', () => {
    const c = new SearchCache(
      loadConfig({ NODE_ENV: 'test', SEARCH_CACHE_TTL_SECONDS: '60', DATA_DIR: '/tmp' }),
      {} as TenantTransactions,
    );
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      c.setResult('k', generation('7'), { total: 1 });
      now.mockReturnValue(1_000_000 + 59_999);
      expect(c.getResult('k', generation('7'))).toEqual({ total: 1 });
      now.mockReturnValue(1_000_000 + 60_000);
      expect(c.getResult('k', generation('7'))).toBeUndefined();
    } finally {
      now.mockRestore();
    }
  });

  it('is off with SEARCH_CACHE_ENTRIES=0 and refuses negative sizes', () => {
    const off = cache('0');
    expect(off.enabled).toBe(false);
    off.setResult('k', generation('1'), { total: 1 });
    expect(off.getResult('k', generation('1'))).toBeUndefined();
    expect(() => cache('-1')).toThrow(/SEARCH_CACHE_ENTRIES/);
  });
});
