import { plural } from './plural';

describe('plural', () => {
  it('uses the singular for exactly one and the plural otherwise', () => {
    expect(plural(1, 'prompt')).toBe('1 prompt');
    expect(plural(0, 'prompt')).toBe('0 prompts');
    expect(plural(3, 'prompt')).toBe('3 prompts');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});
