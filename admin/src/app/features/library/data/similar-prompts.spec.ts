import { Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { SimilarPrompts } from './library.types';
import { SimilarDraft, similarityHint, similarPrompts, similarQuery } from './similar-prompts';

const match = (id: string, score: number) => ({
  id,
  slug: id,
  title: `Prompt ${id}`,
  description: '',
  score,
});
const FOUND: SimilarPrompts = { items: [match('a', 0.8)], engine: 'postgres' };
const NONE: SimilarPrompts = { items: [], engine: 'postgres' };

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('similarQuery', () => {
  it('needs a title of 3 characters or content of 20, trimmed', () => {
    expect(similarQuery({ title: ' ab ', content: 'x'.repeat(19) })).toBeNull();
    expect(similarQuery({ title: 'abc', content: '' })).toEqual({ title: 'abc', content: '' });
    expect(similarQuery({ title: '', content: ` ${'x'.repeat(20)} ` })).toEqual({
      title: '',
      content: 'x'.repeat(20),
    });
  });
});

describe('similarPrompts', () => {
  it('asks once, 400 ms after the last keystroke, with the trimmed draft', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const fetch = vi.fn((_query: SimilarDraft) => cold('(r|)', { r: FOUND }));
      const drafts = cold<SimilarDraft>('a 100ms b 100ms c', {
        a: { title: 'Sup', content: '' },
        b: { title: 'Supp', content: '' },
        c: { title: ' Support reply ', content: '' },
      });
      // c arrives at frame 202; the debounce fires 400 ms later.
      expectObservable(similarPrompts(drafts, fetch)).toBe('602ms r', { r: FOUND });
      flush();
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(fetch).toHaveBeenCalledWith({ title: 'Support reply', content: '' });
    });
  });

  it('cancels the request of an older draft when a newer one is due', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const slow = cold('600ms (r|)', { r: FOUND });
      const fresh = cold('(s|)', { s: { ...FOUND, items: [match('b', 0.5)] } });
      const fetch = vi.fn((query: SimilarDraft) => (query.title === 'Support' ? slow : fresh));
      const drafts = cold<SimilarDraft>('a 499ms b', {
        a: { title: 'Support', content: '' },
        b: { title: 'Support reply', content: '' },
      });
      // a is asked at 400 and still pending when b is asked at 900: a's answer never shows.
      expectObservable(similarPrompts(drafts, fetch)).toBe('900ms s', {
        s: { ...FOUND, items: [match('b', 0.5)] },
      });
      expectSubscriptions(slow.subscriptions).toBe('400ms ^ 499ms !');
      flush();
      expect(fetch).toHaveBeenCalledTimes(2);
    });
  });

  it('does not ask while there is too little text, and clears suggestions when text is removed', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const fetch = vi.fn((_query: SimilarDraft) => cold('(r|)', { r: FOUND }));
      const drafts = cold<SimilarDraft>('a 499ms b 499ms c', {
        a: { title: 'ab', content: 'short' },
        b: { title: 'abc', content: 'short' },
        c: { title: 'a', content: '' },
      });
      expectObservable(similarPrompts(drafts, fetch)).toBe('400ms n 499ms r 499ms n', {
        n: NONE,
        r: FOUND,
      });
      flush();
      expect(fetch).toHaveBeenCalledTimes(1);
    });
  });

  it('does not repeat the same query (only whitespace changed) and hides failures', () => {
    scheduler().run(({ cold, expectObservable, flush }) => {
      const fetch = vi.fn((query: SimilarDraft): Observable<SimilarPrompts> =>
        query.content ? throwError(() => new Error('503')) : of(FOUND),
      );
      const drafts = cold<SimilarDraft>('a 499ms b 499ms c', {
        a: { title: 'Support reply', content: '' },
        b: { title: 'Support reply ', content: '' },
        c: { title: 'Support reply', content: 'Reply politely to the customer' },
      });
      expectObservable(similarPrompts(drafts, fetch)).toBe('400ms r 999ms n', { r: FOUND, n: NONE });
      flush();
      expect(fetch).toHaveBeenCalledTimes(2);
    });
  });
});

describe('similarityHint', () => {
  it('shows trigram similarity as a percentage', () => {
    expect(similarityHint(0.734, FOUND)).toBe('73% similar');
  });

  it('judges Elasticsearch scores against the best match', () => {
    const result: SimilarPrompts = {
      items: [match('a', 12), match('b', 10), match('c', 3)],
      engine: 'elasticsearch',
    };
    expect(result.items.map((item) => similarityHint(item.score, result))).toEqual([
      'Very similar',
      'Very similar',
      'Somewhat similar',
    ]);
    expect(similarityHint(7, result)).toBe('Similar');
  });
});
