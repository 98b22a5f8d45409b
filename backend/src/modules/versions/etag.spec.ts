import { matchesEtag } from './runtime-fetch.service';

describe('matchesEtag', () => {
  const etag = '"abc123"';
  it('matches the same tag, a list containing it, its weak form and *', () => {
    expect(matchesEtag('"abc123"', etag)).toBe(true);
    expect(matchesEtag('"x", "abc123"', etag)).toBe(true);
    expect(matchesEtag('W/"abc123"', etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
  });
  it('does not match other or missing tags', () => {
    expect(matchesEtag(undefined, etag)).toBe(false);
    expect(matchesEtag('', etag)).toBe(false);
    expect(matchesEtag('"abc12"', etag)).toBe(false);
    expect(matchesEtag('abc123', etag)).toBe(false);
  });
});
