import { slowdownSeconds } from './login-throttle';

describe('slowdownSeconds', () => {
  const settings = { loginMaxFailures: 10, loginSlowdownSeconds: 1, loginSlowdownMaxSeconds: 60 };

  it('is nothing below the limit, then doubles per failure up to the maximum', () => {
    expect([0, 5, 9].map((f) => slowdownSeconds(f, settings))).toEqual([0, 0, 0]);
    expect([10, 11, 12, 13, 15].map((f) => slowdownSeconds(f, settings))).toEqual([1, 2, 4, 8, 32]);
    expect(slowdownSeconds(16, settings)).toBe(60);
    expect(slowdownSeconds(10_000, settings)).toBe(60); // never a lockout, whatever the count
  });

  it('starts from the configured step', () => {
    expect(slowdownSeconds(10, { ...settings, loginSlowdownSeconds: 5 })).toBe(5);
    expect(slowdownSeconds(12, { ...settings, loginSlowdownSeconds: 5 })).toBe(20);
  });
});
