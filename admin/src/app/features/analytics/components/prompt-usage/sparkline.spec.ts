import { dailySeries, sparkline } from './sparkline';

describe('sparkline', () => {
  it('scales values into the box, the largest at the top', () => {
    const line = sparkline([0, 5, 10], 100, 20, 0);
    expect(line.points).toBe('0,20 50,10 100,0');
    expect(line.area).toBe('0,20 0,20 50,10 100,0 100,20');
    expect(line.max).toBe(10);
  });

  it('draws a flat line for all zeros or one value, nothing for no values', () => {
    expect(sparkline([0, 0], 10, 10, 0).points).toBe('0,10 10,10');
    expect(sparkline([3], 10, 10, 0).points).toBe('0,0 10,0');
    expect(sparkline([], 10, 10).points).toBe('');
  });

  it('fills the days without usage with 0 and adds up points of one day', () => {
    const days = dailySeries(
      [
        { t: '2026-12-02T00:00:00.000Z', runs: 2 },
        { t: '2026-12-02T13:00:00.000Z', runs: 1 },
        { t: '2026-12-04T00:00:00.000Z', runs: 5 },
      ],
      '2026-12-01',
      4,
      (p) => p.runs,
    );
    expect(days).toEqual([
      { day: '2026-12-01', value: 0 },
      { day: '2026-12-02', value: 3 },
      { day: '2026-12-03', value: 0 },
      { day: '2026-12-04', value: 5 },
    ]);
  });
});
