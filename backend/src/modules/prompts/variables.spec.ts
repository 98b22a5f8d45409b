import {
  extractVariables,
  mergeVariables,
  parseTemplate,
  renderTemplate,
  VariableDefinition,
} from './variables';

describe('parseTemplate / extractVariables', () => {
  it('finds placeholders with letters, digits, _ and ., whitespace allowed inside the braces', () => {
    expect(extractVariables('Hi {{name}}, {{ user.first_name }} and {{\n n2 \t}} and {{name}}')).toEqual([
      'name',
      'user.first_name',
      'n2',
    ]);
  });

  it('treats {{{{ as a literal {{ and leaves malformed braces as text', () => {
    expect(parseTemplate('a {{{{x}} b')).toEqual([{ kind: 'text', text: 'a {{x}} b' }]);
    expect(extractVariables('{{{{name}} {{bad name}} {{ }} {{-x}} {{ok}}')).toEqual(['ok']);
    expect(parseTemplate('{{a}}{{b}}')).toEqual([
      { kind: 'variable', name: 'a' },
      { kind: 'variable', name: 'b' },
    ]);
  });

  it('keeps text without placeholders as it is', () => {
    expect(parseTemplate('no vars { here }')).toEqual([{ kind: 'text', text: 'no vars { here }' }]);
    expect(parseTemplate('')).toEqual([]);
  });
});

describe('mergeVariables', () => {
  it('makes every undeclared placeholder a required text variable, in order of first use', () => {
    const { variables, errors } = mergeVariables('{{b}} {{a}}', [
      { name: 'a', type: 'number', required: false, defaultValue: 3, description: 'count' },
    ]);
    expect(errors).toEqual([]);
    expect(variables).toEqual([
      { name: 'b', type: 'text', required: true },
      { name: 'a', type: 'number', required: false, defaultValue: 3, description: 'count' },
    ]);
  });

  it('refuses declared-but-unused variables, selects without options and misfit defaults', () => {
    const declared: VariableDefinition[] = [
      { name: 'unused', type: 'text', required: true },
      { name: 'tone', type: 'select', required: true },
      { name: 'n', type: 'number', required: true, defaultValue: 'three' },
      { name: 'flag', type: 'boolean', required: false, defaultValue: 'yes' },
      { name: 'pick', type: 'select', required: true, options: ['a', 'b'], defaultValue: 'c' },
      { name: 't', type: 'text', required: true, options: ['x'] },
      { name: 'n', type: 'number', required: true },
    ];
    const { errors } = mergeVariables('{{tone}} {{n}} {{flag}} {{pick}} {{t}}', declared);
    expect(errors.map((e) => e.field)).toEqual([
      'variables[0].name',
      'variables[1].options',
      'variables[2].defaultValue',
      'variables[3].defaultValue',
      'variables[4].defaultValue',
      'variables[5].options',
      'variables[6].name',
    ]);
  });

  it('accepts defaults that fit', () => {
    const { errors } = mergeVariables('{{s}} {{b}} {{t}}', [
      { name: 's', type: 'select', required: true, options: ['x', 'y'], defaultValue: 'y' },
      { name: 'b', type: 'boolean', required: true, defaultValue: false },
      { name: 't', type: 'text', required: true, defaultValue: '' },
    ]);
    expect(errors).toEqual([]);
  });
});

describe('renderTemplate', () => {
  const vars: VariableDefinition[] = [
    { name: 'name', type: 'text', required: true },
    { name: 'count', type: 'number', required: true },
    { name: 'loud', type: 'boolean', required: false, defaultValue: false },
    { name: 'tone', type: 'select', required: true, options: ['warm', 'dry'], defaultValue: 'warm' },
    { name: 'note', type: 'text', required: false },
  ];
  const content = 'Hi {{name}} x{{ count }} loud={{loud}} {{tone}}[{{note}}] {{{{literal}}';

  it('substitutes without HTML escaping and applies defaults', () => {
    const r = renderTemplate(content, vars, { name: '<b>Ann & Co</b>', count: '3' });
    expect(r.errors).toEqual([]);
    expect(r.rendered).toBe('Hi <b>Ann & Co</b> x3 loud=false warm[] {{literal}}');
  });

  it('reports one field error per missing or ill-typed variable', () => {
    const r = renderTemplate(content, vars, { count: 'many', loud: 'perhaps', tone: 'angry' });
    expect(r.errors).toEqual([
      { field: 'variables.name', message: 'name is required' },
      { field: 'variables.count', message: 'count must be a number' },
      { field: 'variables.loud', message: 'loud must be true or false' },
      { field: 'variables.tone', message: 'tone must be one of: warm, dry' },
    ]);
  });

  it('accepts typed JSON values and ignores unknown ones', () => {
    const r = renderTemplate(
      '{{n}} {{b}}',
      [
        { name: 'n', type: 'number', required: true },
        { name: 'b', type: 'boolean', required: true },
      ],
      { n: 2.5, b: true, extra: 'x' },
    );
    expect(r).toEqual({ rendered: '2.5 true', errors: [] });
  });
});
