import { auth, BootOptions, bootTestApp, SignedUpUser, signUp, TestApp } from './support/test-app';
import { SearchWorld, seedWorld } from './support/search-fixtures';

export interface SuiteOptions {
  engine: 'postgres' | 'elasticsearch';
  boot: () => BootOptions;
  /** After seeding: wait until the engine sees every fixture. */
  ready: (t: TestApp) => Promise<void>;
  cleanup?: () => Promise<void>;
}

/**
 * The search behaviour both engines must share, asserted with the same expected ids on the same
 * fixtures (so both engines give the same ids for the same queries).
 */
export function searchSuite(options: SuiteOptions): void {
  let t: TestApp;
  let w: SearchWorld;

  beforeAll(async () => {
    t = await bootTestApp(options.boot());
    w = await seedWorld(t);
    await options.ready(t);
  });
  afterAll(async () => {
    await t?.close();
    await options.cleanup?.();
  });

  const search = async (params: Record<string, string | number | boolean>, user?: SignedUpUser) => {
    const res = await t
      .http()
      .get('/api/v1/search')
      .query(params)
      .set(auth(user ?? w.owner, w.org));
    if (res.status !== 200)
      throw new Error(`search ${JSON.stringify(params)}: ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.body.engine).toBe(options.engine);
    return res.body as {
      items: Array<{
        id: string;
        title: string;
        highlights: { title?: string; description?: string; content?: string[] };
      }>;
      facets: Record<string, Array<{ value: string; count: number; label?: string }>> | null;
      total: number;
      nextCursor: string | null;
    };
  };
  const keysOf = (items: Array<{ id: string }>): string[] =>
    items.map((i) => Object.entries(w.ids).find(([, id]) => id === i.id)?.[0] ?? `foreign:${i.id}`);
  const ids = async (params: Record<string, string | number | boolean>, user?: SignedUpUser) =>
    keysOf((await search(params, user)).items);
  const sorted = (keys: string[]) => [...keys].sort();

  it('tolerates typos and ranks title over description over content', async () => {
    expect(await ids({ q: 'sumarize ' })).toEqual(['summarize', 'descSummary', 'contentSummary']);
    expect(await ids({ q: 'marketng ' })).toEqual(['marketingEmail', 'xss']);
  });

  it('matches the last word as a prefix while typing', async () => {
    expect(sorted(await ids({ q: 'summ' }))).toEqual(sorted(['summarize', 'descSummary', 'contentSummary']));
    expect(await ids({ q: 'outrea' })).toEqual(['archived']);
  });

  it('understands phrases, OR, NOT and -word', async () => {
    expect(await ids({ q: '"cold email"' })).toEqual(['marketingEmail']);
    expect(sorted(await ids({ q: 'email -marketing' }))).toEqual(sorted(['contentSummary', 'archived']));
    expect(sorted(await ids({ q: 'email NOT marketing' }))).toEqual(sorted(['contentSummary', 'archived']));
    expect(sorted(await ids({ q: 'transcript OR outreach' }))).toEqual(sorted(['summarize', 'archived']));
    expect(sorted(await ids({ q: '(transcript OR outreach) AND cold' }))).toEqual(['archived']);
    expect(sorted(await ids({ q: 'instructions' }))).toEqual(['contentSummary']);
  });

  it('degrades malformed queries to plain words instead of failing', async () => {
    expect((await search({ q: 'NOT' })).total).toBe(0);
    expect(await ids({ q: '"cold outreach' })).toEqual(['archived']);
    expect(await ids({ q: '(changelog' })).toEqual(['descSummary']);
    expect(await ids({ q: 'transcript OR' })).toEqual([]);
    expect((await search({ q: '))) OR (( "' })).total).toBe(0);
  });

  it('returns highlights with <mark> and everything else escaped', async () => {
    const res = await search({ q: 'marketing' });
    const xss = res.items.find((i) => i.id === w.ids.xss)!;
    expect(xss.title).toBe('<img src=x onerror=alert(1)> marketing tips');
    expect(xss.highlights.title).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>marketing</mark> tips');
    expect(xss.highlights.description).toBe(
      'Escaping test with &lt;b&gt;bold&lt;/b&gt; <mark>marketing</mark>',
    );
    const email = res.items.find((i) => i.id === w.ids.marketingEmail)!;
    expect(email.highlights.title).toBe('<mark>Marketing</mark> email writer');
    expect(email.highlights.content?.join(' ')).toContain('<mark>marketing</mark> leads');
    const typo = (await search({ q: 'sumarize ' })).items.find((i) => i.id === w.ids.contentSummary)!;
    expect(typo.highlights.content?.[0]).toContain('<mark>summarize</mark>');
    expect(typo.highlights.content?.[0]).not.toMatch(/<(?!\/?mark>)/);
  });

  it('shows private prompts only to their author and never another organization’s prompts', async () => {
    expect(await ids({ q: 'diary' }, w.owner)).toEqual([]);
    expect(await ids({ q: 'diary' }, w.editor)).toEqual(['privateNote']);
    expect((await ids({ q: 'summarize' }, w.editor))[0]).toBe('privateNote');
    const all = await search({ limit: 100 });
    expect(all.total).toBe(6);
    const foreign = Object.values(w.other.ids);
    expect(all.items.some((i) => foreign.includes(i.id))).toBe(false);
    const other = await t
      .http()
      .get('/api/v1/search')
      .query({ q: 'summarize', limit: 100 })
      .set(auth(w.other.owner))
      .expect(200);
    expect(other.body.items.every((i: { id: string }) => foreign.includes(i.id))).toBe(true);
    expect(other.body.total).toBe(3);
  });

  it('filters by tags (AND/OR), category, author, status, dates and favorites', async () => {
    expect(await ids({ tags: 'email,marketing', sort: 'created' })).toEqual(['marketingEmail']);
    expect(await ids({ tags: 'EMAIL,support', tagMode: 'or', sort: 'created' })).toEqual([
      'archived',
      'contentSummary',
      'marketingEmail',
    ]);
    expect(await ids({ category: w.categories.Engineering, sort: 'created' })).toEqual([
      'descSummary',
      'summarize',
    ]);
    expect(await ids({ author: w.editor.userId }, w.owner)).toEqual(['contentSummary']);
    expect(sorted(await ids({ author: w.editor.userId }, w.editor))).toEqual(
      sorted(['contentSummary', 'privateNote']),
    );
    expect(await ids({ q: 'email', status: 'published', sort: 'created' })).toEqual([
      'contentSummary',
      'marketingEmail',
    ]);
    expect((await search({ createdTo: '2000-01-01' })).total).toBe(0);
    expect((await search({ createdFrom: '2000-01-01', updatedTo: '2999-12-31' })).total).toBe(6);
    await t
      .http()
      .post(`/api/v1/prompts/${w.ids.descSummary}/favorite`)
      .set(auth(w.viewer, w.org))
      .expect(200);
    await options.ready(t);
    expect(await ids({ favorites: true }, w.viewer)).toEqual(['descSummary']);
    expect(await ids({ favorites: true }, w.owner)).toEqual([]);
  });

  it('counts facets over the filtered result', async () => {
    const res = await search({ q: 'email' });
    expect(res.total).toBe(3);
    const facets = res.facets!;
    expect(facets.tags).toEqual([
      { value: 'email', count: 3 },
      { value: 'marketing', count: 1 },
      { value: 'sales', count: 1 },
      { value: 'support', count: 1 },
    ]);
    expect(facets.status).toEqual(
      [
        { value: 'archived', count: 1 },
        { value: 'published', count: 2 },
      ].sort((a, b) => b.count - a.count),
    );
    expect(facets.categories.map((c) => [c.label, c.count]).sort()).toEqual([
      ['Marketing', 1],
      ['Sales', 1],
      ['Support', 1],
    ]);
    expect(facets.authors).toEqual(
      expect.arrayContaining([
        { value: w.owner.userId, count: 2, label: 'Alice Owner' },
        { value: w.editor.userId, count: 1, label: 'Bob Editor' },
      ]),
    );
  });

  it('sorts by created, updated and popularity and pages with a cursor', async () => {
    const created = await ids({ sort: 'created', limit: 100 });
    expect(created).toEqual([
      'archived',
      'xss',
      'contentSummary',
      'descSummary',
      'marketingEmail',
      'summarize',
    ]);
    const { rows } = await t.owner.query(
      `SELECT id FROM prompts WHERE organization_id = $1 AND visibility = 'organization' ORDER BY updated_at DESC, id DESC`,
      [w.org],
    );
    expect(await ids({ sort: 'updated', limit: 100 })).toEqual(keysOf(rows));
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search({ sort: 'created', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(6);
      expect(page.facets === null).toBe(!!cursor);
      pages.push(...keysOf(page.items));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(created);
    const relevance: string[] = [];
    cursor = null;
    do {
      const page = await search({ q: 'summarize', limit: 1, ...(cursor ? { cursor } : {}) });
      relevance.push(...keysOf(page.items));
      cursor = page.nextCursor;
    } while (cursor);
    expect(relevance).toEqual(await ids({ q: 'summarize' }));
    expect(await ids({ sort: 'popularity', limit: 1 }, w.viewer)).toEqual(['descSummary']);
  });

  it('answers 400 for bad parameters and a foreign cursor, 401 without credentials', async () => {
    const bad = (query: Record<string, string>) =>
      t.http().get('/api/v1/search').query(query).set(auth(w.owner, w.org)).expect(400);
    await bad({ sort: 'random' });
    await bad({ status: 'gone' });
    await bad({ category: 'nope' });
    await bad({ createdFrom: 'yesterday' });
    await bad({ createdFrom: '2024-02-01', createdTo: '2024-01-01' });
    await bad({ limit: '0' });
    await bad({ cursor: 'not-a-cursor' });
    await bad({ q: 'x'.repeat(501) });
    await bad({ untagged: 'maybe' });
    await bad({ record: 'sometimes' });
    const first = await search({ sort: 'created', limit: 1 });
    await bad({ sort: 'updated', limit: '1', cursor: first.nextCursor! });
    await t.http().get('/api/v1/search').query({ q: 'x' }).expect(401);
  });

  it('filters prompts without tags (untagged=true), alone and with a query', async () => {
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(w.owner, w.org))
      .send({ title: 'Loose checklist', content: 'A checklist nobody has tagged yet' })
      .expect(201);
    const untagged = res.body.id as string;
    const { rows } = await t.owner.query(`SELECT search_tags FROM prompts WHERE id = $1`, [untagged]);
    expect(rows[0].search_tags).toEqual([]);
    await options.ready(t);
    const only = await search({ untagged: true });
    expect(only.items.map((i) => i.id)).toEqual([untagged]);
    expect(only.total).toBe(1);
    expect(only.facets!.tags).toEqual([]);
    expect((await search({ q: 'checklist', untagged: true })).items.map((i) => i.id)).toEqual([untagged]);
    expect((await search({ q: 'summarize', untagged: true })).total).toBe(0);
    expect((await search({ untagged: true, tags: 'email' })).total).toBe(0);
    // untagged=false is no filter at all.
    expect((await search({ untagged: false, limit: 100 })).total).toBe(7);
  });

  it('ranks a prompt holding the exact word above every prompt that matches it only with a typo', async () => {
    // Its own organization: the vocabulary and the totals of the shared fixtures stay as they are.
    const owner = await signUp(t, 'Tess Token');
    const create = async (title: string, content: string) =>
      (
        await t
          .http()
          .post('/api/v1/prompts')
          .set(auth(owner))
          .send({ title, content, tags: ['batch'] })
          .expect(201)
      ).body.id as string;
    // Oldest first, so that a tie in score (then popularity, then recency) would put it last.
    const exact = await create('Batch reference', 'Reference code zorblaxite for the batch.');
    // Within two edits of it, the same shape of text: equal scores if typo matches count as much.
    const nearMisses = ['zorblaxita', 'zorblaxites', 'zorblaxtie', 'zorbluxite', 'zarblaxite', 'zorblaxit'];
    for (const word of nearMisses) await create('Batch reference', `Reference code ${word} for the batch.`);
    // A typo match in the title, which outweighs content, does not outrank the exact word either.
    const inTitle = await create('Zorblaxide checklist', 'Reference code for the batch.');
    await options.ready(t);
    for (const q of ['zorblaxite ', 'zorblaxite']) {
      const res = await t.http().get('/api/v1/search').query({ q, limit: 100 }).set(auth(owner)).expect(200);
      expect(res.body.total).toBe(nearMisses.length + 2);
      const ids = res.body.items.map((i: { id: string }) => i.id);
      expect(ids[0]).toBe(exact);
      expect(ids).toContain(inTitle);
      const scores = res.body.items.map((i: { score: number }) => i.score);
      expect(scores[0]).toBeGreaterThan(Math.max(...scores.slice(1)));
    }
  });
}
