import {
  coerceValues,
  extractVariableNames,
  findPlaceholders,
  renderPreview,
  syncVariables,
} from './variables';

describe('findPlaceholders', () => {
  it('finds names with letters, digits, underscores and dots, whitespace allowed', () => {
    const content = 'Hi {{ user.name }}, see {{item_2}} and {{user.name}}.';
    expect(findPlaceholders(content)).toEqual([
      { name: 'user.name', from: 3, to: 18 },
      { name: 'item_2', from: 24, to: 34 },
      { name: 'user.name', from: 39, to: 52 },
    ]);
    expect(extractVariableNames(content)).toEqual(['user.name', 'item_2']);
  });

  it('skips escaped braces and invalid names', () => {
    expect(extractVariableNames('literal {{{{name}} and {{ bad-name }} and {{ok}}')).toEqual(['ok']);
  });

  it('finds nothing in plain text', () => {
    expect(findPlaceholders('no placeholders { here }')).toEqual([]);
  });
});

describe('syncVariables', () => {
  it('keeps declarations, adds new placeholders as required text and reports unused ones', () => {
    const declared = [
      { name: 'tone', type: 'select' as const, required: false, options: ['formal', 'casual'] },
      { name: 'gone', type: 'number' as const, required: true },
    ];
    const { variables, unused } = syncVariables('Write {{topic}} in a {{tone}} tone', declared);
    expect(variables).toEqual([{ name: 'topic', type: 'text', required: true }, declared[0]]);
    expect(unused).toEqual(['gone']);
  });
});

describe('renderPreview', () => {
  const variables = [
    { name: 'name', type: 'text' as const, required: true },
    { name: 'lang', type: 'text' as const, required: false, defaultValue: 'English' },
  ];

  it('substitutes values and defaults without HTML escaping', () => {
    const result = renderPreview('Hello {{ name }} in {{lang}}', variables, { name: '<b>Ada</b>' });
    expect(result).toEqual({ text: 'Hello <b>Ada</b> in English', missing: [] });
  });

  it('leaves placeholders without a value visible and lists them once', () => {
    const result = renderPreview('{{name}} / {{name}} / {{other}}', variables, {});
    expect(result.text).toBe('{{name}} / {{name}} / {{other}}');
    expect(result.missing).toEqual(['name', 'other']);
  });

  it('turns the {{{{ escape into a literal {{', () => {
    expect(renderPreview('{{{{name}} is {{name}}', variables, { name: 'x' }).text).toBe('{{name}} is x');
  });
});

describe('coerceValues', () => {
  it('converts numbers and booleans and drops blanks', () => {
    const variables = [
      { name: 'n', type: 'number' as const, required: true },
      { name: 'b', type: 'boolean' as const, required: false },
      { name: 't', type: 'text' as const, required: false },
      { name: 'e', type: 'text' as const, required: false },
    ];
    expect(coerceValues(variables, { n: '3.5', b: 'true', t: 'x', e: '' })).toEqual({
      n: 3.5,
      b: true,
      t: 'x',
    });
  });
});
