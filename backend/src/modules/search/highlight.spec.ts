import { escapeHtml, MARK_END, MARK_START, markedToHtml } from './highlight';

describe('markedToHtml', () => {
  it('escapes everything and turns the engine markers into <mark>', () => {
    expect(markedToHtml(`<img src=x onerror=alert(1)> ${MARK_START}summary${MARK_END} & "more"`)).toBe(
      '&lt;img src=x onerror=alert(1)&gt; <mark>summary</mark> &amp; &quot;more&quot;',
    );
  });

  it('never leaves a mark open or nested, and drops empty ones', () => {
    expect(markedToHtml(`${MARK_START}${MARK_START}a${MARK_END}${MARK_END}b${MARK_START}`)).toBe(
      '<mark>a</mark>b',
    );
    expect(markedToHtml(`x${MARK_START}${MARK_END}y`)).toBe('xy');
  });

  it('escapes quotes for attribute contexts too', () => {
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });
});
