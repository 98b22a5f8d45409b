import { retryDelayMs } from './webhook-deliverer';

describe('retryDelayMs', () => {
  it('waits the base after the first attempt, doubling per attempt up to the maximum', () => {
    const base = 30_000;
    const max = 3_600_000;
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => retryDelayMs(n, base, max))).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });

  it('retries for 24 hours in about 30 attempts with the production defaults', () => {
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 86_400_000) elapsed += retryDelayMs(++attempts, 30_000, 3_600_000);
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(35);
  });
});
