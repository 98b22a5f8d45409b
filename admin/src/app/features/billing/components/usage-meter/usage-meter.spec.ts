import { usageLevel } from './usage-meter';

describe('usageLevel', () => {
  it('colours by the share of the limit', () => {
    expect(usageLevel(10, null)).toBe('unlimited');
    expect(usageLevel(0, 0)).toBe('excluded');
    expect(usageLevel(3, 0)).toBe('over');
    expect(usageLevel(79, 100)).toBe('ok');
    expect(usageLevel(80, 100)).toBe('near');
    expect(usageLevel(100, 100)).toBe('full');
    expect(usageLevel(101, 100)).toBe('over');
  });
});
