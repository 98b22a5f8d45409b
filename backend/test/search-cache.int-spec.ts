import { PostgresSearchEngine } from '../src/modules/search/engines/postgres.engine';
import { SearchWorld, seedWorld } from './support/search-fixtures';
import { auth, bootTestApp, SignedUpUser, TestApp } from './support/test-app';
import { sleep } from './support/wait';

interface Body {
  items: Array<{ id: string; title: string; tags: string[] }>;
  facets: Record<string, Array<{ value: string; count: number; label?: string }>> | null;
  total: number;
}

/** Short, so that the expiry can be waited for; every other check here runs well within it. */
const TTL_SECONDS = 3;

/**
 * The search result cache (SearchCache): a repeated search is answered without the engine, and any
 * change that could change the answer — prompts, their tags, favorites, category and author names —
 * makes the next search ask the engine again, with the new answer. Use counters alone do not; the
 * answer's lifetime bounds how long they may lag.
 */
describe('Search result cache', () => {
  let t: TestApp;
  let w: SearchWorld;
  let engineCalls: jest.SpyInstance;

  beforeAll(async () => {
    t = await bootTestApp({ env: { SEARCH_CACHE_TTL_SECONDS: String(TTL_SECONDS) } });
    w = await seedWorld(t);
    engineCalls = jest.spyOn(t.app.get(PostgresSearchEngine), 'search');
  });
  afterAll(async () => {
    engineCalls?.mockRestore();
    await t?.close();
  });

  const search = async (params: Record<string, string | number | boolean>, user: SignedUpUser = w.owner) => {
    const res = await t.http().get('/api/v1/search').query(params).set(auth(user, w.org));
    if (res.status !== 200) throw new Error(`search: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Body;
  };
  /** Searches and says whether the engine ran for it. */
  const searchCounted = async (params: Record<string, string | number | boolean>, user?: SignedUpUser) => {
    const before = engineCalls.mock.calls.length;
    const body = await search(params, user);
    return { body, engineRan: engineCalls.mock.calls.length > before };
  };
  const generation = async (): Promise<string | null> => {
    const { rows } = await t.owner.query(
      `SELECT generation::text AS g FROM search_generations WHERE organization_id = $1`,
      [w.org],
    );
    return rows[0]?.g ?? null;
  };
  /** As the system (row-level security would hide the rows from the plain owner connection). */
  const asSystem = async (sql: string, params: unknown[]) => {
    const client = await t.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.system', 'on', true)`, [
        w.org,
      ]);
      await client.query(sql, params);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };

  it('answers a repeated search from the cache and asks the engine again after a prompt changes', async () => {
    const first = await searchCounted({ q: 'summarize', record: false });
    expect(first.engineRan).toBe(true);
    const again = await searchCounted({ q: 'summarize', record: false });
    expect(again.engineRan).toBe(false);
    expect(again.body).toEqual(first.body);
    // The author of a private prompt gets answers of their own.
    const editor = await searchCounted({ q: 'summarize', record: false }, w.editor);
    expect(editor.engineRan).toBe(true);
    expect(editor.body.items[0].id).toBe(w.ids.privateNote);
    expect(first.body.items.map((i) => i.id)).not.toContain(w.ids.privateNote);

    const before = await generation();
    await t
      .http()
      .patch(`/api/v1/prompts/${w.ids.marketingEmail}`)
      .set(auth(w.owner, w.org))
      .send({ title: 'Marketing email writer to summarize launches' })
      .expect(200);
    expect(await generation()).not.toBe(before);

    const after = await searchCounted({ q: 'summarize', record: false });
    expect(after.engineRan).toBe(true);
    expect(after.body.total).toBe(first.body.total + 1);
    expect(after.body.items.map((i) => i.id)).toContain(w.ids.marketingEmail);
  });

  it('shares answers between members without private prompts, not with authors of private prompts', async () => {
    const q = { q: 'email', record: false };
    const owner = await searchCounted(q, w.owner);
    expect(owner.engineRan).toBe(true);
    const viewer = await searchCounted(q, w.viewer);
    expect(viewer.engineRan).toBe(false);
    expect(viewer.body).toEqual(owner.body);
    expect((await searchCounted(q, w.editor)).engineRan).toBe(true);

    // Once the owner writes a private prompt, their answers are their own.
    const created = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(w.owner, w.org))
      .send({ title: 'Private email drafts', content: 'Notes for an email', visibility: 'private' })
      .expect(201);
    const ownerAfter = await searchCounted(q, w.owner);
    expect(ownerAfter.engineRan).toBe(true);
    expect(ownerAfter.body.items.map((i) => i.id)).toContain(created.body.id);
    const viewerAfter = await searchCounted(q, w.viewer);
    expect(viewerAfter.engineRan).toBe(true);
    expect(viewerAfter.body.items.map((i) => i.id)).not.toContain(created.body.id);
    expect(viewerAfter.body.total).toBe(ownerAfter.body.total - 1);
    expect((await searchCounted(q, w.owner)).engineRan).toBe(false);
    expect((await searchCounted(q, w.viewer)).engineRan).toBe(false);

    await t.http().delete(`/api/v1/prompts/${created.body.id}`).set(auth(w.owner, w.org)).expect(204);
  });

  it('sees deletions and favorites at once, and use counters once an answer reaches its lifetime', async () => {
    const q = { q: 'marketing', sort: 'popularity', record: false };
    const first = await search(q);
    expect(first.items.map((i) => i.id)).toContain(w.ids.xss);
    expect((await searchCounted(q)).engineRan).toBe(false);

    // Use counters (flushed every second as the system for prompts fetched at runtime) do not move
    // the generation: cached answers keep their popularity order until they expire.
    const last = first.items[first.items.length - 1].id;
    const before = await generation();
    const started = Date.now();
    await asSystem(`UPDATE prompts SET uses = uses + 100000, views = views + 1 WHERE id = $1`, [last]);
    expect(await generation()).toBe(before);
    const stale = await searchCounted(q);
    expect(stale.engineRan).toBe(false);
    expect(stale.body).toEqual(first);
    await sleep(TTL_SECONDS * 1000 - (Date.now() - started) + 100);
    const reordered = await searchCounted(q);
    expect(reordered.engineRan).toBe(true);
    expect(reordered.body.items[0].id).toBe(last);

    // A favorite changes popularity and the caller's favorites filter.
    expect((await search({ favorites: true, record: false })).total).toBe(0);
    await t.http().post(`/api/v1/prompts/${w.ids.xss}/favorite`).set(auth(w.owner, w.org)).expect(200);
    expect((await search({ favorites: true, record: false })).items.map((i) => i.id)).toEqual([w.ids.xss]);

    await t.http().delete(`/api/v1/prompts/${w.ids.xss}`).set(auth(w.owner, w.org)).expect(204);
    const deleted = await searchCounted(q);
    expect(deleted.engineRan).toBe(true);
    expect(deleted.body.items.map((i) => i.id)).not.toContain(w.ids.xss);
    expect(deleted.body.total).toBe(first.total - 1);
  });

  it('shows renamed tags, category and author labels at once', async () => {
    const q = { q: 'meeting', record: false };
    const first = await search(q);
    const category = first.facets!.categories[0];
    expect(category.label).toBe('Engineering');
    expect(first.items[0].tags).toContain('meetings');
    expect((await searchCounted(q)).engineRan).toBe(false);

    const tags = await t
      .http()
      .get('/api/v1/tags')
      .query({ limit: 100 })
      .set(auth(w.owner, w.org))
      .expect(200);
    const tag = (tags.body.items as Array<{ id: string; name: string }>).find((x) => x.name === 'meetings')!;
    await t
      .http()
      .patch(`/api/v1/tags/${tag.id}`)
      .set(auth(w.owner, w.org))
      .send({ name: 'standups' })
      .expect(200);
    const renamedTag = await searchCounted(q);
    expect(renamedTag.engineRan).toBe(true);
    expect(renamedTag.body.items[0].tags).toContain('standups');
    expect(renamedTag.body.facets!.tags.map((b) => b.value)).toContain('standups');

    await t
      .http()
      .patch(`/api/v1/categories/${category.value}`)
      .set(auth(w.owner, w.org))
      .send({ name: 'Platform' })
      .expect(200);
    const renamedCategory = await searchCounted(q);
    expect(renamedCategory.engineRan).toBe(true);
    expect(renamedCategory.body.facets!.categories[0].label).toBe('Platform');

    // No endpoint renames users yet; the trigger covers any path that does (users carry no RLS).
    expect(renamedCategory.body.facets!.authors[0]).toMatchObject({
      value: w.owner.userId,
      label: 'Alice Owner',
    });
    await t.owner.query(`UPDATE users SET name = 'Alice Admin' WHERE id = $1`, [w.owner.userId]);
    const renamedAuthor = await searchCounted(q);
    expect(renamedAuthor.engineRan).toBe(true);
    expect(renamedAuthor.body.facets!.authors[0].label).toBe('Alice Admin');
  });

  it('computes a burst of identical searches once', async () => {
    const before = engineCalls.mock.calls.length;
    const bodies = await Promise.all(
      Array.from({ length: 4 }, () => search({ q: 'transcript deadlines', record: false })),
    );
    expect(engineCalls.mock.calls.length - before).toBe(1);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0].items.map((i) => i.id)).toEqual([w.ids.summarize]);
  });

  it('keeps organizations apart: a change in one leaves the other organization’s answers cached', async () => {
    const other = { q: 'summarize', record: false };
    const res = async () => {
      const before = engineCalls.mock.calls.length;
      const body = await t.http().get('/api/v1/search').query(other).set(auth(w.other.owner)).expect(200);
      return { body: body.body as Body, engineRan: engineCalls.mock.calls.length > before };
    };
    const first = await res();
    expect((await res()).engineRan).toBe(false);
    await t
      .http()
      .patch(`/api/v1/prompts/${w.ids.summarize}`)
      .set(auth(w.owner, w.org))
      .send({ description: 'Turns a transcript into action items and owners' })
      .expect(200);
    const again = await res();
    expect(again.engineRan).toBe(false);
    expect(again.body).toEqual(first.body);
  });
});
