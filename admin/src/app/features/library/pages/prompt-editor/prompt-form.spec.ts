import { EMPTY_FORM, sameForm, toPromptInput, validateForm } from './prompt-form';

describe('prompt form', () => {
  it('builds the request body with trimmed text and only the metadata that is set', () => {
    const input = toPromptInput({
      ...EMPTY_FORM,
      title: '  Hello ',
      content: 'Hi',
      model: 'gpt-4o',
      temperature: 0.7,
    });
    expect(input.title).toBe('Hello');
    expect(input.metadata).toEqual({ model: 'gpt-4o', temperature: 0.7 });
    expect(input.slug).toBeUndefined();
  });

  it('validates title, content, temperature 0–2, positive max tokens and select options', () => {
    expect(
      validateForm({
        ...EMPTY_FORM,
        temperature: 2.5,
        maxTokens: 0,
        variables: [{ name: 'tone', type: 'select', required: true, options: [] }],
      }),
    ).toEqual({
      title: 'A title is required',
      content: 'The prompt needs content',
      'metadata.temperature': 'Temperature is between 0 and 2',
      'metadata.maxTokens': 'Max tokens is a positive whole number',
      'variables.tone': 'Give tone at least one option',
    });
    expect(validateForm({ ...EMPTY_FORM, title: 't', content: 'c', temperature: 0, maxTokens: 10 })).toEqual(
      {},
    );
  });

  it('detects changes', () => {
    const base = { ...EMPTY_FORM, title: 'a', content: 'b' };
    expect(sameForm(base, { ...base })).toBe(true);
    expect(sameForm(base, { ...base, content: 'c' })).toBe(false);
  });
});
