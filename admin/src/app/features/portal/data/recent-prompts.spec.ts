import { TestBed } from '@angular/core/testing';
import { memoryStorage } from '../../../../testing/test-helpers';
import { RECENT_PROMPTS_KEY, RecentPrompts } from './recent-prompts';

describe('RecentPrompts', () => {
  function setup(initial: Record<string, string> = {}) {
    const { storage, provider } = memoryStorage(initial);
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provider] });
    return { storage, recent: TestBed.inject(RecentPrompts) };
  }

  it('keeps the newest first, once each, at most eight, per organization', () => {
    const { recent } = setup();
    for (let i = 1; i <= 10; i++) recent.remember('o1', { id: `p${i}`, title: `P${i}` });
    recent.remember('o1', { id: 'p5', title: 'P5 renamed' });
    recent.remember('o2', { id: 'x', title: 'Other org' });
    const list = recent.list('o1');
    expect(list).toHaveLength(8);
    expect(list[0]).toEqual({ id: 'p5', title: 'P5 renamed' });
    expect(list.filter((p) => p.id === 'p5')).toHaveLength(1);
    expect(list.map((p) => p.id)).not.toContain('p1');
    expect(recent.list('o2')).toEqual([{ id: 'x', title: 'Other org' }]);
  });

  it('survives storage it did not write', () => {
    expect(setup({ [RECENT_PROMPTS_KEY]: 'not json' }).recent.list('o1')).toEqual([]);
    expect(
      setup({ [RECENT_PROMPTS_KEY]: '{"o1":[{"id":1},{"id":"p","title":"T"}]}' }).recent.list('o1'),
    ).toEqual([{ id: 'p', title: 'T' }]);
  });
});
