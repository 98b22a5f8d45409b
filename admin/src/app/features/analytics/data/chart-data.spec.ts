import {
  breakdownView,
  bucketLabel,
  changeVsPrevious,
  describeBreakdown,
  describeTimeseries,
  formatMetric,
  formatUsd,
  rankedView,
  seriesColor,
  timeseriesOptions,
  timeseriesView,
} from './chart-data';

describe('chart data mapping', () => {
  it('aligns every series on the union of the buckets, missing buckets counting 0', () => {
    const view = timeseriesView(
      {
        interval: 'day',
        series: [
          {
            key: 'gpt-4o',
            label: 'gpt-4o',
            points: [
              { t: '2026-12-02T00:00:00.000Z', value: 3 },
              { t: '2026-12-01T00:00:00.000Z', value: 1 },
            ],
          },
          { key: 'claude', label: 'Claude', points: [{ t: '2026-12-03T00:00:00.000Z', value: 5 }] },
        ],
      },
      'light',
    );
    expect(view.buckets).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2026-12-02T00:00:00.000Z',
      '2026-12-03T00:00:00.000Z',
    ]);
    expect(view.data.labels).toEqual(['Dec 1', 'Dec 2', 'Dec 3']);
    expect(view.data.datasets.map((d) => d.data)).toEqual([
      [1, 3, 0],
      [0, 0, 5],
    ]);
    expect(view.data.datasets.map((d) => d.label)).toEqual(['gpt-4o', 'Claude']);
    expect(view.data.datasets[1].backgroundColor).toBe(seriesColor(1, 'light'));
    expect(view.rows.map((r) => r.total)).toEqual([1, 3, 5]);
    expect(view.columns).toEqual([
      { key: 'gpt-4o', label: 'gpt-4o' },
      { key: 'claude', label: 'Claude' },
    ]);
    expect(describeTimeseries(view, 'runs', 'Model')).toBe(
      'Runs over time by model, 2 series: 9 in 3 buckets, highest Dec 3 (5)',
    );
  });

  it('themes the series and axes for dark mode', () => {
    const light = timeseriesView(
      { interval: 'day', series: [{ key: 'a', label: 'A', points: [] }] },
      'light',
    );
    const dark = timeseriesView({ interval: 'day', series: [{ key: 'a', label: 'A', points: [] }] }, 'dark');
    expect(light.data.datasets[0].backgroundColor).not.toBe(dark.data.datasets[0].backgroundColor);
    const options = timeseriesOptions('dark', 'cost');
    const y = options.scales?.['y'] as { ticks: { color: string; callback: (v: number) => string } };
    expect(y.ticks.color).toBe('#c4c6d0');
    expect(y.ticks.callback(1234.5)).toBe('$1,234.50');
  });

  it('labels buckets by interval in UTC', () => {
    expect(bucketLabel('2026-12-01T00:00:00.000Z', 'day')).toBe('Dec 1');
    expect(bucketLabel('2026-11-30T00:00:00.000Z', 'week')).toBe('Week of Nov 30');
    expect(bucketLabel('2026-12-01T00:00:00.000Z', 'month')).toBe('Dec 2026');
  });

  it('sorts a breakdown largest first with each share of the total', () => {
    const view = breakdownView(
      [
        { key: 'c1', label: 'Support', value: 1 },
        { key: 'c2', label: 'Marketing', value: 3 },
      ],
      'dark',
    );
    expect(view.rows).toEqual([
      { key: 'c2', label: 'Marketing', value: 3, share: 75 },
      { key: 'c1', label: 'Support', value: 1, share: 25 },
    ]);
    expect(view.data.labels).toEqual(['Marketing', 'Support']);
    expect(view.total).toBe(4);
    expect(describeBreakdown(view, 'cost', 'Category')).toBe(
      'Cost by category: $4.00 in total, largest Marketing (75%)',
    );
    expect(breakdownView([], 'light').rows).toEqual([]);
    expect(describeBreakdown(breakdownView([], 'light'), 'runs', 'User')).toBe('Runs by user: no data');
  });

  it('ranks items for horizontal bars', () => {
    const view = rankedView(
      [
        { key: 'p1', label: 'Summarize', value: 2 },
        { key: 'p2', label: 'Translate', value: 7 },
      ],
      'Uses',
      'light',
    );
    expect(view.rows.map((r) => r.key)).toEqual(['p2', 'p1']);
    expect(view.data.datasets[0]).toMatchObject({ label: 'Uses', data: [7, 2] });
  });

  it('compares with the previous period', () => {
    expect(changeVsPrevious(120, 100)).toEqual({
      percent: 20,
      direction: 'up',
      text: '+20% vs previous period',
    });
    expect(changeVsPrevious(50, 200)).toEqual({
      percent: -75,
      direction: 'down',
      text: '-75% vs previous period',
    });
    expect(changeVsPrevious(5, 0)).toEqual({ percent: null, direction: 'up', text: 'New this period' });
    expect(changeVsPrevious(0, 0).direction).toBe('flat');
  });

  it('formats values in their unit', () => {
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatMetric(1_250_000, 'tokens')).toBe('1.3M');
    expect(formatMetric(9_999, 'tokens')).toBe('9,999');
    expect(formatMetric(1234.4, 'runs')).toBe('1,234');
  });
});
