import { diffVariables } from './variables-diff';

describe('diffVariables', () => {
  it('gives one row per variable with added, removed, changed and unchanged marked field by field', () => {
    const rows = diffVariables(
      [
        { name: 'customer', type: 'text', required: true },
        { name: 'tone', type: 'select', required: false, options: ['friendly', 'formal'] },
        { name: 'legacy', type: 'number', required: false, defaultValue: 3 },
      ],
      [
        { name: 'customer', type: 'text', required: true },
        {
          name: 'tone',
          type: 'select',
          required: true,
          options: ['friendly', 'formal', 'brief'],
          defaultValue: 'friendly',
        },
        { name: 'language', type: 'text', required: false, description: 'ISO code' },
      ],
    );
    expect(rows.map((r) => [r.name, r.change])).toEqual([
      ['customer', 'unchanged'],
      ['tone', 'changed'],
      ['language', 'added'],
      ['legacy', 'removed'],
    ]);
    const tone = Object.fromEntries(rows[1].cells.map((c) => [c.field, c]));
    expect(tone['type']).toEqual({ field: 'type', before: 'select', after: 'select', changed: false });
    expect(tone['required']).toEqual({ field: 'required', before: 'no', after: 'yes', changed: true });
    expect(tone['options']).toMatchObject({ before: 'friendly, formal', after: 'friendly, formal, brief' });
    expect(tone['defaultValue']).toMatchObject({ before: '', after: '"friendly"', changed: true });
    expect(rows[2].cells.every((c) => c.before === null && !c.changed)).toBe(true);
    expect(rows[3].cells.find((c) => c.field === 'defaultValue')).toMatchObject({ before: '3', after: null });
  });
});
