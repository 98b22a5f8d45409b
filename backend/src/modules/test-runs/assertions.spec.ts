import { Assertion, checkOutput, MAX_REGEX_INPUT, parseAssertions, parseJsonOutput } from './assertions';

type Local = Exclude<Assertion, { type: 'evaluator_min' }>;
const check = (a: Local, output: string) => checkOutput(a, output);

describe('parseAssertions', () => {
  it('accepts every type with its members and normalizes them', () => {
    const input = [
      { type: 'contains', value: 'hello' },
      { type: 'not_contains', value: 'sorry' },
      { type: 'regex', pattern: '^\\d{3}$', flags: 'm' },
      { type: 'valid_json' },
      { type: 'json_schema', schema: { type: 'object', required: ['a'] } },
      { type: 'max_length', max: 200 },
      { type: 'evaluator_min', min: 4.5 },
    ];
    const { assertions, errors } = parseAssertions(input);
    expect(errors).toEqual([]);
    expect(assertions).toEqual(input);
  });

  it.each([
    [[{ type: 'nope' }], 'assertions.0.type'],
    [[{ type: 'contains' }], 'assertions.0.value'],
    [[{ type: 'contains', value: '' }], 'assertions.0.value'],
    [[{ type: 'contains', value: 'x', max: 3 }], 'assertions.0.max'],
    [[{ type: 'regex', pattern: '(' }], 'assertions.0.pattern'],
    [[{ type: 'regex', pattern: '(a+)+$' }], 'assertions.0.pattern'],
    [[{ type: 'regex', pattern: 'a', flags: 'g' }], 'assertions.0.flags'],
    [[{ type: 'regex', pattern: 'a'.repeat(501) }], 'assertions.0.pattern'],
    [[{ type: 'json_schema', schema: { type: 'nonsense' } }], 'assertions.0.schema'],
    [[{ type: 'json_schema', schema: [] }], 'assertions.0.schema'],
    [
      [{ type: 'json_schema', schema: { properties: { a: { type: 'string', pattern: '(x*)*y' } } } }],
      'assertions.0.schema.properties.a.pattern',
    ],
    [[{ type: 'max_length', max: 0 }], 'assertions.0.max'],
    [[{ type: 'max_length', max: 2.5 }], 'assertions.0.max'],
    [[{ type: 'evaluator_min', min: 6 }], 'assertions.0.min'],
    [[{ type: 'valid_json' }, 'x'], 'assertions.1'],
    ['x', 'assertions'],
    [Array.from({ length: 21 }, () => ({ type: 'valid_json' })), 'assertions'],
  ])('refuses %j naming %s', (input, field) => {
    const { errors } = parseAssertions(input);
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0].message).toBeTruthy();
  });
});

describe('checkOutput', () => {
  it('contains / not_contains are case-sensitive substring checks', () => {
    expect(check({ type: 'contains', value: 'Bye' }, 'Good Bye')).toMatchObject({ passed: true });
    expect(check({ type: 'contains', value: 'bye' }, 'Good Bye')).toMatchObject({
      passed: false,
      detail: 'does not contain "bye"',
    });
    expect(check({ type: 'not_contains', value: 'sorry' }, 'fine')).toMatchObject({ passed: true });
    expect(check({ type: 'not_contains', value: 'sorry' }, 'so sorry')).toMatchObject({
      passed: false,
      detail: 'contains "sorry" at character 3',
    });
  });

  it('regex matches with flags and refuses over-long outputs', () => {
    expect(check({ type: 'regex', pattern: '^order #\\d+$', flags: 'im' }, 'x\nORDER #12')).toMatchObject({
      passed: true,
    });
    expect(check({ type: 'regex', pattern: '^\\d+$' }, 'abc')).toMatchObject({ passed: false });
    const long = 'a'.repeat(MAX_REGEX_INPUT + 1);
    expect(check({ type: 'regex', pattern: 'a' }, long)).toMatchObject({ passed: false });
  });

  it('valid_json accepts plain and fenced JSON', () => {
    expect(check({ type: 'valid_json' }, ' {"a": 1} ')).toMatchObject({ passed: true });
    expect(check({ type: 'valid_json' }, '```json\n[1, 2]\n```')).toMatchObject({ passed: true });
    expect(check({ type: 'valid_json' }, 'Here: {"a": 1}')).toMatchObject({ passed: false });
    expect(parseJsonOutput('```\n{"b":2}\n```')).toEqual({ ok: true, value: { b: 2 } });
  });

  it('json_schema validates with ajv and names the first violation', () => {
    const schema = {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    };
    expect(check({ type: 'json_schema', schema }, '{"name":"Ann","age":3}')).toMatchObject({ passed: true });
    const bad = check({ type: 'json_schema', schema }, '{"name":"Ann","age":-1}');
    expect(bad.passed).toBe(false);
    expect(bad.detail).toContain('/age');
    expect(check({ type: 'json_schema', schema }, 'not json')).toMatchObject({ passed: false });
  });

  it('max_length counts characters', () => {
    expect(check({ type: 'max_length', max: 3 }, 'abc')).toMatchObject({ passed: true });
    expect(check({ type: 'max_length', max: 3 }, 'abcd')).toMatchObject({
      passed: false,
      detail: '4 characters, more than 3',
    });
  });
});
