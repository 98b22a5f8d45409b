import { auth, bootTestApp, SignedUpUser, signUp, TestApp } from './support/test-app';

/**
 * Each request path has one owner whatever order the modules register their controllers in
 * (common/routing/route-order.ts): literal segments win over parameters.
 */
describe('Route precedence', () => {
  let t: TestApp;
  let owner: SignedUpUser;

  beforeAll(async () => {
    t = await bootTestApp();
    owner = await signUp(t);
  });
  afterAll(() => t?.close());

  const create = async (slug: string) =>
    (
      await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(owner))
        .send({ title: `Prompt ${slug}`, slug, content: `Body of ${slug}` })
        .expect(201)
    ).body as { id: string; slug: string };

  it.each(['versions', 'comments', 'labels', 'favorite', 'similar', 'diff'])(
    'fetches a prompt whose slug is "%s" by slug, not as a sub-route of /prompts/:id',
    async (slug) => {
      const p = await create(slug);
      const res = await t.http().get(`/api/v1/prompts/by-slug/${slug}`).set(auth(owner)).expect(200);
      expect(res.body).toMatchObject({ id: p.id, slug });
    },
  );

  it('serves /prompts/similar from the search module, not as the prompt with id "similar"', async () => {
    const res = await t
      .http()
      .get('/api/v1/prompts/similar')
      .query({ title: 'Prompt versions' })
      .set(auth(owner))
      .expect(200);
    expect(Array.isArray(res.body.items)).toBe(true);
  });

  it('still answers /prompts/:id and its sub-routes for real ids', async () => {
    const p = await create('routing-check');
    await t.http().get(`/api/v1/prompts/${p.id}`).set(auth(owner)).expect(200);
    await t.http().get(`/api/v1/prompts/${p.id}/versions`).set(auth(owner)).expect(200);
    await t.http().get('/api/v1/prompts/not-a-uuid').set(auth(owner)).expect(400);
  });
});
