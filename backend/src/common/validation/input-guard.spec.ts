import { findInputProblem, MAX_INPUT_DEPTH, pathProblem } from './input-guard';

describe('findInputProblem', () => {
  const nested = (levels: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = i % 2 ? { a: v } : [v];
    return v;
  };

  it('accepts ordinary input, emoji (paired surrogates) included', () => {
    expect(
      findInputProblem({ title: 'Rockets 🚀', tags: ['a', 'b'], metadata: { model: 'x', maxTokens: 3 } }),
    ).toBeUndefined();
    expect(findInputProblem(nested(MAX_INPUT_DEPTH))).toBeUndefined();
  });

  it('refuses nesting deeper than the bound without recursing (100,000 levels)', () => {
    const problem = findInputProblem(nested(100_000));
    expect(problem?.message).toMatch(/nested too deeply/);
    expect(findInputProblem(nested(MAX_INPUT_DEPTH + 1))).toBeDefined();
  });

  it('names the field holding a NUL or a lone surrogate, in values and in keys', () => {
    expect(findInputProblem({ variables: [{ name: 'x', description: 'a\u0000' }] })).toEqual({
      field: 'variables.0.description',
      message: expect.stringMatching(/NUL/),
    });
    expect(findInputProblem({ email: 'a\ud800@example.com' })?.field).toBe('email');
    expect(findInputProblem({ name: '\udc00' })?.message).toMatch(/lone surrogates/);
    expect(findInputProblem({ ['k\u0000']: 1 })?.field).toBe('k\u0000');
    expect(findInputProblem('x\u0000', 'slug')).toEqual({ field: 'slug', message: expect.any(String) });
  });

  it('leaves raw buffers alone (bytes, not fields)', () => {
    expect(findInputProblem(Buffer.from([0, 0, 0]))).toBeUndefined();
  });
});

describe('pathProblem', () => {
  it('refuses segments that decode to NUL or do not decode at all', () => {
    expect(pathProblem('/api/v1/prompts/by-slug/a%00b')).toBeDefined();
    expect(pathProblem('/api/v1/prompts/by-slug/%ED%A0%80')).toBeDefined();
    expect(pathProblem('/api/v1/prompts/by-slug/%E0%A4%A')).toBeDefined();
    expect(pathProblem('/api/v1/prompts/by-slug/caf%C3%A9')).toBeUndefined();
  });
});
