import * as v8 from 'node:v8';
import { applyHeapGrowth } from './heap-growth';

jest.mock('node:v8', () => ({ setFlagsFromString: jest.fn() }));
const setFlags = v8.setFlagsFromString as jest.Mock;

describe('applyHeapGrowth', () => {
  beforeEach(() => setFlags.mockClear());

  it("sets V8's heap growing factor from HEAP_GROWTH_PERCENT", () => {
    expect(applyHeapGrowth(50, { execArgv: [], nodeOptions: '' })).toBe(true);
    expect(setFlags).toHaveBeenCalledWith('--heap-growing-percent=50');
  });

  it("leaves V8's own factor at 0", () => {
    expect(applyHeapGrowth(0, { execArgv: [] })).toBe(false);
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('leaves a factor given to node itself, on the command line or in NODE_OPTIONS, in place', () => {
    expect(applyHeapGrowth(50, { execArgv: ['--heap-growing-percent=20'] })).toBe(false);
    expect(
      applyHeapGrowth(50, {
        execArgv: [],
        nodeOptions: '--max-old-space-size=512 --heap_growing_percent=80',
      }),
    ).toBe(false);
    expect(setFlags).not.toHaveBeenCalled();
    expect(
      applyHeapGrowth(50, { execArgv: ['--enable-source-maps'], nodeOptions: '--max-old-space-size=512' }),
    ).toBe(true);
  });
});
