import {
  addDays,
  bucketPeriod,
  dashboardStateFromParams,
  dashboardStateToParams,
  defaultInterval,
  MAX_SPAN_DAYS,
  parseDay,
  periodOf,
  presetRange,
  rangeError,
  spanDays,
  withRange,
} from './dashboard-state';

// 23:30 UTC on Dec 5th: late enough that a local-time mistake would show as another day east of UTC.
const NOW = new Date('2026-12-05T23:30:00.000Z');

describe('dashboard range', () => {
  it('computes the presets in UTC days ending today', () => {
    expect(presetRange('7d', NOW)).toEqual({ from: '2026-11-29', to: '2026-12-05' });
    expect(presetRange('30d', NOW)).toEqual({ from: '2026-11-06', to: '2026-12-05' });
    expect(presetRange('90d', NOW)).toEqual({ from: '2026-09-07', to: '2026-12-05' });
    expect(presetRange('this-month', NOW)).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(presetRange('last-month', NOW)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    // January: last month is December of the year before.
    expect(presetRange('last-month', new Date('2027-01-10T00:00:00Z'))).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect(spanDays('2026-11-29', '2026-12-05')).toBe(7);
  });

  it('rejects days that do not exist and moves across month ends', () => {
    expect(parseDay('2026-02-30')).toBeNull();
    expect(parseDay('2026-2-3')).toBeNull();
    expect(parseDay('2026-02-28')?.toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('sends the API the range as [first midnight, midnight after the last day)', () => {
    expect(periodOf({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
  });

  it('derives the interval from the length of the range', () => {
    expect(defaultInterval('2026-11-06', '2026-12-05')).toBe('day');
    expect(defaultInterval('2026-09-07', '2026-12-05')).toBe('week');
    expect(defaultInterval('2026-01-01', '2026-12-05')).toBe('month');
  });

  it('cuts a bucket to the range (a week that starts before the range)', () => {
    const range = { from: '2026-11-04', to: '2026-11-20' };
    expect(bucketPeriod('2026-11-02T00:00:00.000Z', 'week', range)).toEqual({
      from: '2026-11-04T00:00:00.000Z',
      to: '2026-11-09T00:00:00.000Z',
    });
    expect(bucketPeriod('2026-11-10', 'day', range)).toEqual({
      from: '2026-11-10T00:00:00.000Z',
      to: '2026-11-11T00:00:00.000Z',
    });
    expect(bucketPeriod('2026-11-01', 'month', range)).toEqual({
      from: '2026-11-04T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
  });

  it('explains why a custom range cannot be used', () => {
    expect(rangeError('2026-11-01', '2026-11-30', NOW)).toBeNull();
    expect(rangeError(null, '2026-11-30', NOW)).toBe('Choose a start and an end day');
    expect(rangeError('2026-11-30', '2026-11-01', NOW)).toBe('The start must be before the end');
    expect(rangeError('2026-12-01', '2026-12-06', NOW)).toBe('The range cannot end in the future');
    expect(rangeError(addDays('2026-12-05', -MAX_SPAN_DAYS), '2026-12-05', NOW)).toBe(
      `Choose at most ${MAX_SPAN_DAYS} days`,
    );
  });
});

describe('dashboard state in the URL', () => {
  it('opens the last 30 days by day, runs, no grouping, without parameters', () => {
    const state = dashboardStateFromParams({}, NOW);
    expect(state).toEqual({
      preset: '30d',
      from: '2026-11-06',
      to: '2026-12-05',
      interval: 'day',
      intervalChosen: false,
      metric: 'runs',
      groupBy: null,
      topBy: 'uses',
      breakdownBy: 'model',
      breakdownMetric: 'cost',
      bucket: null,
    });
    expect(dashboardStateToParams(state)).toEqual({});
  });

  it('round-trips every choice', () => {
    const params = {
      from: '2026-10-01',
      to: '2026-11-15',
      interval: 'day',
      metric: 'cost',
      groupBy: 'model',
      top: 'cost',
      by: 'collection',
      byMetric: 'tokens',
      bucket: '2026-10-03',
    };
    const state = dashboardStateFromParams(params, NOW);
    expect(state).toMatchObject({
      preset: 'custom',
      from: '2026-10-01',
      to: '2026-11-15',
      interval: 'day',
      intervalChosen: true,
      metric: 'cost',
      groupBy: 'model',
      topBy: 'cost',
      breakdownBy: 'collection',
      breakdownMetric: 'tokens',
      bucket: '2026-10-03',
    });
    expect(dashboardStateToParams(state)).toEqual(params);
    expect(dashboardStateToParams(dashboardStateFromParams({ range: 'last-month' }, NOW))).toEqual({
      range: 'last-month',
    });
  });

  it('drops what an edited or old link gets wrong', () => {
    const state = dashboardStateFromParams(
      {
        range: 'forever',
        from: '2026-12-01',
        to: '2026-12-31',
        interval: 'hour',
        metric: ['cost', 'runs'],
        groupBy: 'planet',
        top: 'x',
        bucket: '2020-01-01',
      },
      NOW,
    );
    // A range ending in the future is refused: the default range; the repeated key takes its first value.
    expect(state).toMatchObject({
      preset: '30d',
      interval: 'day',
      metric: 'cost',
      groupBy: null,
      topBy: 'uses',
    });
    expect(state.bucket).toBeNull();
    expect(dashboardStateFromParams({ from: '2024-01-01', to: '2026-01-01' }, NOW).preset).toBe('30d');
    expect(dashboardStateFromParams({ from: '2026-11-10', to: '2026-11-01' }, NOW).preset).toBe('30d');
  });

  it('changes the range, keeping a chosen interval and dropping the bucket', () => {
    const start = dashboardStateFromParams({ bucket: '2026-12-01' }, NOW);
    const quarter = withRange(start, { preset: '90d' }, NOW);
    expect(quarter).toMatchObject({ preset: '90d', from: '2026-09-07', interval: 'week', bucket: null });
    const chosen = { ...start, interval: 'day' as const, intervalChosen: true };
    expect(withRange(chosen, { from: '2026-01-01', to: '2026-06-30' }, NOW)).toMatchObject({
      preset: 'custom',
      from: '2026-01-01',
      to: '2026-06-30',
      interval: 'day',
    });
  });
});
