import { parseDefault, parseOptions } from './variables-editor';

describe('variables editor helpers', () => {
  it('types defaults by the variable type and treats blank as none', () => {
    expect(parseDefault({ name: 'n', type: 'number', required: false }, ' 42 ')).toBe(42);
    expect(parseDefault({ name: 'b', type: 'boolean', required: false }, 'true')).toBe(true);
    expect(parseDefault({ name: 't', type: 'text', required: false }, 'Hello ')).toBe('Hello ');
    expect(parseDefault({ name: 't', type: 'text', required: false }, '  ')).toBeUndefined();
    // Left as typed so the server answers with a field error instead of a silent change.
    expect(parseDefault({ name: 'n', type: 'number', required: false }, 'abc')).toBe('abc');
  });

  it('splits options on commas without blanks or duplicates', () => {
    expect(parseOptions('formal, casual,, formal ,')).toEqual(['formal', 'casual']);
  });
});
