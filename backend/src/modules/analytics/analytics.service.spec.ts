import { AppException } from '../../common/errors/domain.exception';
import { AnalyticsRepository } from './analytics.repository';
import { intervalStarts, resolveRange, truncate } from './analytics.service';

const d = (s: string) => new Date(s);

describe('analytics periods', () => {
  it('defaults to the 30 days before now and refuses empty, inverted and too long periods', () => {
    const now = d('2026-03-31T12:00:00Z');
    expect(resolveRange({}, now)).toEqual({ from: d('2026-03-01T12:00:00Z'), to: now });
    expect(() => resolveRange({ from: now, to: now }, now)).toThrow(AppException);
    expect(() => resolveRange({ from: d('2026-04-01T00:00:00Z'), to: now }, now)).toThrow(
      'to must be after from',
    );
    expect(() => resolveRange({ from: d('2025-01-01T00:00:00Z'), to: now }, now)).toThrow('400 days');
    expect(resolveRange({ from: d('2025-02-25T00:00:00Z'), to: d('2026-03-31T00:00:00Z') }).from).toEqual(
      d('2025-02-25T00:00:00Z'),
    );
  });

  it('truncates to the UTC day, the ISO week (Monday) and the month', () => {
    const t = d('2026-03-05T17:30:00Z'); // a Thursday
    expect(truncate(t, 'day')).toEqual(d('2026-03-05T00:00:00Z'));
    expect(truncate(t, 'week')).toEqual(d('2026-03-02T00:00:00Z'));
    expect(truncate(d('2026-03-08T23:00:00Z'), 'week')).toEqual(d('2026-03-02T00:00:00Z')); // Sunday
    expect(truncate(t, 'month')).toEqual(d('2026-03-01T00:00:00Z'));
  });

  it('lists every interval start of a period, the partial first one included', () => {
    const range = { from: d('2026-01-30T10:00:00Z'), to: d('2026-03-02T00:00:00Z') };
    expect(intervalStarts(range, 'month').map((x) => x.toISOString().slice(0, 10))).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(
      intervalStarts({ from: d('2026-03-01T00:00:00Z'), to: d('2026-03-04T00:00:00Z') }, 'day'),
    ).toHaveLength(3);
    expect(intervalStarts(range, 'week')[0]).toEqual(d('2026-01-26T00:00:00Z'));
  });
});

describe('rollups read for a range', () => {
  const months = (from: string, to: string) => {
    const m = AnalyticsRepository.months({ from: d(from), to: d(to) });
    return [m.start.toISOString().slice(0, 13), m.end.toISOString().slice(0, 13)];
  };

  it('reads the whole months inside the range from the monthly rollups, the edges from the others', () => {
    expect(months('2025-12-06T00:00:00Z', '2026-12-07T00:00:00Z')).toEqual([
      '2026-01-01T00',
      '2026-12-01T00',
    ]);
    expect(months('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-01-01T00',
      '2026-04-01T00',
    ]);
    expect(months('2026-01-01T01:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-02-01T00',
      '2026-04-01T00',
    ]);
    // No whole month: no monthly rows (start = end = to).
    expect(months('2026-01-05T00:00:00Z', '2026-02-20T00:00:00Z')).toEqual([
      '2026-02-20T00',
      '2026-02-20T00',
    ]);
    expect(months('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z')).toEqual([
      '2026-01-31T00',
      '2026-01-31T00',
    ]);
  });

  it('uses the daily rollups for edges of ranges aligned to midnight, else the hourly ones', () => {
    const range = { from: d('2026-01-05T00:00:00Z'), to: d('2026-03-02T00:00:00Z') };
    expect(AnalyticsRepository.table(range)).toBe('usage_rollups_daily');
    expect(AnalyticsRepository.table({ ...range, to: d('2026-03-02T13:00:00Z') })).toBe(
      'usage_rollups_hourly',
    );
    const src = AnalyticsRepository.source('org', range);
    expect(src.params.slice(3)).toEqual([d('2026-02-01T00:00:00Z'), d('2026-03-01T00:00:00Z')]);
    // Per day or week: the same statement, without monthly rows.
    const daily = AnalyticsRepository.source('org', range, false);
    expect(daily.sql).toBe(src.sql);
    expect(daily.params.slice(3)).toEqual([range.to, range.to]);
  });

  it('cuts a range into hourly edges, whole days and whole months for the organization rollups', () => {
    const bounds = (from: string, to: string, monthly = true) =>
      AnalyticsRepository.orgSource('org', { from: d(from), to: d(to) }, monthly)
        .params.slice(3)
        .map((x) => (x as Date).toISOString().slice(0, 13));
    // [from, day start) hourly, [day start, month start) daily, months, [month end, day end) daily, [day end, to) hourly.
    expect(bounds('2026-01-05T07:00:00Z', '2026-03-02T13:00:00Z')).toEqual([
      '2026-01-06T00',
      '2026-03-02T00',
      '2026-02-01T00',
      '2026-03-01T00',
    ]);
    // Aligned to midnight: no hourly edge; whole months only: no daily edge either.
    expect(bounds('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([
      '2026-01-01T00',
      '2026-03-01T00',
      '2026-01-01T00',
      '2026-03-01T00',
    ]);
    // No whole month: the days only (month start = month end = day end).
    expect(bounds('2026-01-05T07:00:00Z', '2026-01-20T00:00:00Z')).toEqual([
      '2026-01-06T00',
      '2026-01-20T00',
      '2026-01-20T00',
      '2026-01-20T00',
    ]);
    // Per day or week: no month whatever the range, and the same statement.
    expect(bounds('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z', false)).toEqual([
      '2026-01-01T00',
      '2026-03-01T00',
      '2026-03-01T00',
      '2026-03-01T00',
    ]);
    expect(
      AnalyticsRepository.orgSource('org', { from: d('2026-01-01'), to: d('2026-03-01') }, false).sql,
    ).toBe(
      AnalyticsRepository.orgSource('org', { from: d('2026-01-05T07:00:00Z'), to: d('2026-01-06T03:00:00Z') })
        .sql,
    );
    // Within one day: no whole day, everything from the hourly rollups (all other bounds = to).
    expect(bounds('2026-01-05T07:00:00Z', '2026-01-05T20:00:00Z')).toEqual([
      '2026-01-05T20',
      '2026-01-05T20',
      '2026-01-05T20',
      '2026-01-05T20',
    ]);
  });
});
