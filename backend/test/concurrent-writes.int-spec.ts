import type { Response } from 'supertest';
import type { Caller } from '../src/common/context/request-context';
import { AuditService } from '../src/modules/audit/audit.service';
import { CategoriesService } from '../src/modules/taxonomy/categories.service';
import { CollectionsService } from '../src/modules/taxonomy/collections.service';
import { TagsService } from '../src/modules/taxonomy/tags.service';
import { JobCallers } from '../src/modules/transfer/job-caller';
import { auth, useTeamApp, usingRealPostgres } from './support/test-app';

/**
 * Members of one organization changing its prompts, tags and categories at the same moment. On
 * PostgreSQL each request runs on its own connection: every change of prompts takes the
 * organization's audit chain lock and its search generation row (both until commit), and they must
 * be taken in one order (migration 1764001900000), or two requests wait for each other until
 * PostgreSQL rolls one back (a 409 `concurrent_change` after a second). PGlite runs them one at
 * a time, where the same requests must succeed too.
 */
describe('Concurrent writes in one organization', () => {
  const suite = useTeamApp();
  const http = () => suite.t.http();

  it('creations, edits with new tags, deletions, label moves, bulk tagging and renames all succeed at once', async () => {
    const editor = auth(suite.editor, suite.org);
    const owner = auth(suite.owner, suite.org);
    const category = (
      await suite.t.owner.query(`SELECT id FROM categories WHERE organization_id = $1 AND name = 'Support'`, [
        suite.org,
      ])
    ).rows[0].id as string;
    const failures: string[] = [];
    const rounds = 4;
    for (let round = 0; round < rounds; round++) {
      const ids = await Promise.all(
        [0, 1, 2, 3, 4, 5, 6].map(async (k) => {
          const res = await http()
            .post('/api/v1/prompts')
            .set(editor)
            .send({
              title: `Base ${round}-${k}`,
              content: 'Hello {{name}}',
              // The tag renamed below is carried by prompts that other requests change meanwhile.
              tags: k === 0 || k === 4 ? ['base', `to-rename-${round}`] : ['base'],
            })
            .expect(201);
          return res.body.id as string;
        }),
      );
      const tag = (
        await suite.t.owner.query(`SELECT id FROM tags WHERE organization_id = $1 AND name = $2`, [
          suite.org,
          `to-rename-${round}`,
        ])
      ).rows[0] as { id: string };
      const requests = [
        http()
          .post('/api/v1/prompts')
          .set(editor)
          .send({ title: `New ${round}`, content: 'Fresh', tags: [`created-${round}`, `shared-${round}`] }),
        http()
          .patch(`/api/v1/prompts/${ids[0]}`)
          .set(editor)
          .send({ content: `Edited ${round}`, tags: [`edited-${round}`] }),
        http()
          .patch(`/api/v1/prompts/${ids[1]}`)
          .set(editor)
          .send({ title: `Retitled ${round}`, tags: [`shared-${round}`] }),
        // The same new tag as the two requests above: one of the three creates it.
        http()
          .post('/api/v1/tags')
          .set(owner)
          .send({ name: `shared-${round}` }),
        http().delete(`/api/v1/prompts/${ids[2]}`).set(editor),
        http().put(`/api/v1/prompts/${ids[3]}/labels/staging`).set(owner).send({ version: 1 }),
        http()
          .post('/api/v1/prompts/bulk')
          .set(owner)
          .send({ ids: [ids[4], ids[5], ids[0]], action: 'tag', tags: [`bulk-${round}`] }),
        // Bulk actions over prompts that single requests change at the same time.
        http()
          .post('/api/v1/prompts/bulk')
          .set(owner)
          .send({ ids: [ids[5], ids[4], ids[1]], action: 'publish' }),
        http()
          .patch(`/api/v1/tags/${tag.id}`)
          .set(owner)
          .send({ name: `renamed-${round}` }),
        http()
          .patch(`/api/v1/categories/${category}`)
          .set(owner)
          .send({ name: `Support ${round}` }),
        http().post(`/api/v1/prompts/${ids[6]}/comments`).set(editor).send({ content: 'Looks good' }),
        http().post(`/api/v1/prompts/${ids[6]}/duplicate`).set(editor),
      ];
      const answers = await Promise.all(requests);
      answers.forEach((res, index) => {
        const taken = res.status === 409 && res.body?.code === 'tag_name_taken';
        if (res.status >= 300 && !taken)
          failures.push(`round ${round}, request ${index}: ${res.status} ${res.body?.code}`);
      });
    }
    expect(failures).toEqual([]);

    const count = async (sql: string) => Number((await suite.t.owner.query(sql, [suite.org])).rows[0].n);
    // Every prompt's search_tags (kept by triggers) names exactly its tags, whatever the interleaving.
    expect(
      await count(
        `SELECT count(*) AS n FROM prompts p WHERE p.organization_id = $1 AND p.search_tags IS DISTINCT FROM coalesce(
           (SELECT array_agg(t.name ORDER BY lower(t.name)) FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id
             WHERE pt.prompt_id = p.id), '{}')`,
      ),
    ).toBe(0);
    // Per round: 7 bases + 1 new + 1 duplicate - 1 deleted.
    expect(await count(`SELECT count(*) AS n FROM prompts WHERE organization_id = $1`)).toBe(rounds * 8);
    expect(
      await count(`SELECT count(*) AS n FROM tags WHERE organization_id = $1 AND name LIKE 'renamed-%'`),
    ).toBe(rounds);
    expect(
      await count(
        `SELECT count(*) AS n FROM prompts WHERE organization_id = $1 AND search_tags && ARRAY['edited-0', 'bulk-0', 'shared-0']`,
      ),
    ).toBe(5);
    expect(
      await count(`SELECT count(*) AS n FROM tags WHERE organization_id = $1 AND name LIKE 'shared-%'`),
    ).toBe(rounds);
    expect(
      await count(
        `SELECT count(*) AS n FROM categories WHERE organization_id = $1 AND name = 'Support ${rounds - 1}'`,
      ),
    ).toBe(1);
    const verify = await http().get('/api/v1/audit-events/verify').set(owner).expect(200);
    expect(verify.body).toMatchObject({ valid: true });
  }, 120_000);

  /**
   * What an import batch does, against a member's `request` sent meanwhile: the batch holds the
   * audit chain lock (its earlier rows' events), then `work` writes a name (as the uploader). The
   * request gets half a second to reach its own write of that name (before the fixes it wrote the
   * name, then waited for the lock while the batch waited for its row: one rolled back as a
   * deadlock, 409 `concurrent_change`). Answers what `work` answered and the request's response.
   */
  const besideABatch = async <T>(
    work: (caller: Caller) => Promise<T>,
    request: () => Promise<Response>,
  ): Promise<[T, Response]> => {
    const app = suite.t.app;
    let locked!: () => void;
    let proceed!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const mayProceed = new Promise<void>((r) => (proceed = r));
    const batch = app.get(JobCallers).run(suite.org, suite.owner.userId, async (caller) => {
      await app.get(AuditService).lockChain(suite.org);
      locked();
      await mayProceed;
      return work(caller);
    });
    await isLocked;
    const answer = request();
    await new Promise((r) => setTimeout(r, 500));
    proceed();
    return [await batch, await answer];
  };

  // Two sessions at once: only on a PostgreSQL server (PGlite is one session).
  (usingRealPostgres ? it : it.skip)(
    'a category or collection named by an import batch while a member creates the same name: one 409, no deadlock',
    async () => {
      const app = suite.t.app;
      for (const kind of ['categories', 'collections'] as const) {
        const name = `Raced ${kind}`;
        const [created, res] = await besideABatch(
          (caller) =>
            kind === 'categories'
              ? app.get(CategoriesService).create(caller, { name })
              : app.get(CollectionsService).create(caller, { name }),
          () =>
            http()
              .post(`/api/v1/${kind}`)
              .set(auth(suite.owner, suite.org))
              .send({ name })
              .then((r) => r),
        );
        expect(created.name).toBe(name);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe(kind === 'categories' ? 'category_name_taken' : 'collection_name_taken');
        const rows = await suite.t.owner.query(
          `SELECT count(*)::int AS n FROM ${kind} WHERE organization_id = $1 AND name = $2`,
          [suite.org, name],
        );
        expect(rows.rows[0].n).toBe(1);
      }
    },
    30_000,
  );

  (usingRealPostgres ? it : it.skip)(
    'a tag renamed to the name an import batch is tagging with: one 409, no deadlock',
    async () => {
      const owner = auth(suite.owner, suite.org);
      const prompt = await http()
        .post('/api/v1/prompts')
        .set(owner)
        .send({ title: 'Carries the renamed tag', content: 'Hi', tags: ['to-be-renamed'] })
        .expect(201);
      const tag = (
        await suite.t.owner.query(
          `SELECT id FROM tags WHERE organization_id = $1 AND name = 'to-be-renamed'`,
          [suite.org],
        )
      ).rows[0].id as string;
      const [names, res] = await besideABatch(
        () => suite.t.app.get(TagsService).createForTagging(suite.org, ['Renamed meanwhile']),
        () =>
          http()
            .patch(`/api/v1/tags/${tag}`)
            .set(owner)
            .send({ name: 'Renamed meanwhile' })
            .then((r) => r),
      );
      expect(names.get('renamed meanwhile')).toBe('Renamed meanwhile');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('tag_name_taken');
      const row = await suite.t.owner.query(`SELECT search_tags FROM prompts WHERE id = $1`, [
        prompt.body.id,
      ]);
      expect(row.rows[0].search_tags).toEqual(['to-be-renamed']);
    },
    30_000,
  );
});
