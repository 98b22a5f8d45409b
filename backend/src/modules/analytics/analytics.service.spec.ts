import { AppException } from '../../common/errors/domain.exception';
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
