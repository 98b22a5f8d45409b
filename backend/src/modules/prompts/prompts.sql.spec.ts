import { PROMPT_BY_ID_SQL, promptListStatement, selectPromptsSql } from './prompts.sql';

describe('prompts.sql', () => {
  it('never selects p.* (the search vector stays in the table)', () => {
    expect(PROMPT_BY_ID_SQL).not.toMatch(/p\.\*/);
    expect(PROMPT_BY_ID_SQL).toBe(selectPromptsSql('p.id = $3'));
  });

  it('numbers filter, cursor and limit parameters after $1 (organization) and $2 (caller)', () => {
    const { sql, params } = promptListStatement(
      { tag: ' Ops ', status: 'published', favorite: true },
      'title',
      { k: 'abc', id: '00000000-0000-4000-8000-000000000001' },
      20,
    );
    expect(params).toEqual(['Ops', 'published', 'abc', '00000000-0000-4000-8000-000000000001', 21]);
    expect(sql).toContain('lower(t.name) = lower($3)');
    expect(sql).toContain('p.status = $4');
    expect(sql).toContain('f.user_id = $2)');
    expect(sql).toContain('(lower(p.title), p.id) > ($5::text, $6::uuid)');
    expect(sql).toContain('ORDER BY lower(p.title) ASC, p.id ASC LIMIT $7');
  });

  it('gives the unfiltered first page one statement whatever the limit (prepared once)', () => {
    const a = promptListStatement({}, 'updated', undefined, 20);
    const b = promptListStatement({}, 'updated', undefined, 50);
    expect(a.sql).toBe(b.sql);
    expect(a.sql).toContain('AND true');
    expect(a.params).toEqual([21]);
    expect(b.params).toEqual([51]);
  });
});
