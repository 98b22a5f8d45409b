import { extractMentions } from './mentions';

describe('extractMentions', () => {
  it('finds @e-mail mentions, lower-cased and unique, in order', () => {
    expect(
      extractMentions('Hi @Alice@Example.com and @bob@corp.co.uk, see @alice@example.com again'),
    ).toEqual(['alice@example.com', 'bob@corp.co.uk']);
  });

  it('leaves trailing punctuation and Markdown around the address out', () => {
    expect(extractMentions('(@carol@example.org). **@dave@example.net**! `@erin@example.io`?')).toEqual([
      'carol@example.org',
      'dave@example.net',
      'erin@example.io',
    ]);
  });

  it('ignores plain addresses and @ that does not start a word', () => {
    expect(extractMentions('mail alice@example.com or foo@bar@example.com, @notanemail, @x@y')).toEqual([]);
  });

  it('handles a mention at the start of a line', () => {
    expect(extractMentions('@frank@example.com\n@grace@example.com')).toEqual([
      'frank@example.com',
      'grace@example.com',
    ]);
  });
});
