import { RATE_LIMIT_BACKOFF_MS, rateLimitWaitMs } from './test-runner';

describe('rateLimitWaitMs', () => {
  it('waits the Retry-After seconds when they are longer than the backoff', () => {
    expect(rateLimitWaitMs('7', 1)).toBe(7000);
    expect(rateLimitWaitMs('2.5', 1)).toBe(2500);
  });

  it('waits at least the doubling backoff', () => {
    expect(rateLimitWaitMs('1', 1)).toBe(RATE_LIMIT_BACKOFF_MS);
    expect(rateLimitWaitMs('1', 2)).toBe(RATE_LIMIT_BACKOFF_MS * 2);
    expect(rateLimitWaitMs('1', 3)).toBe(RATE_LIMIT_BACKOFF_MS * 4);
  });

  it('falls back to the backoff without a usable Retry-After', () => {
    for (const header of [undefined, '', 'soon', '0', '-3']) expect(rateLimitWaitMs(header, 2)).toBe(2000);
  });
});
