import { COMMIT_BATCH, ImportRunner } from '../src/modules/transfer/import-runner';
import {
  auth,
  bootTestApp,
  redisUrl,
  signUp,
  signUpTeam,
  Team,
  TestApp,
  usingRealPostgres,
} from './support/test-app';
import { IMPORT_TEST_ENV, importCsv, importedPrompts, transferClient } from './support/transfer';
import { waitFor } from './support/wait';

const driver = `${usingRealPostgres ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'BullMQ' : 'inline queue'}`;
const csv = importCsv;

describe(`Bulk import commit (${driver})`, () => {
  let t: TestApp;
  let team: Team;
  let c: ReturnType<typeof transferClient>;

  beforeAll(async () => {
    t = await bootTestApp({ env: IMPORT_TEST_ENV });
    team = await signUpTeam(t);
    c = transferClient(t, (u) => (u === team.outsider ? u.organizationId : team.org));
  });
  afterAll(() => t?.close());

  const { count: promptCount, bySlug: promptBySlug } = importedPrompts(
    () => t,
    () => team.org,
  );

  describe('bulk commit (multi-row batches)', () => {
    const slugsLike = async (pattern: string, org = team.org) =>
      (
        await t.owner.query(
          `SELECT slug FROM prompts WHERE organization_id = $1 AND slug LIKE $2 ORDER BY slug`,
          [org, pattern],
        )
      ).rows.map((r: { slug: string }) => r.slug);

    it('a duplicate in the middle of a batch follows each strategy without losing the batch', async () => {
      await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(team.editor, team.org))
        .send({ slug: 'mid-taken', title: 'Taken', content: 'Old' })
        .expect(201);
      const file = () =>
        csv(
          'mid-a,A,,Text a,t1,,,,,,,',
          'mid-b,B,,Text b,,,,,,,,',
          'mid-taken,From file,,New {{x}},,,,,,,,',
          'mid-c,C,,Text c,t1|t2,,,,,,,',
          'mid-a,A again,,Second a,,,,,,,,',
          'mid-d,D,,Text d,,,,,,,,',
        );
      const clean = () =>
        t.owner.query(
          `DELETE FROM prompts WHERE organization_id = $1 AND slug LIKE 'mid-%' AND slug <> 'mid-taken'`,
          [team.org],
        );

      const skipped = await c.imported(team.editor, file(), 'mid.csv', { onDuplicate: 'skip' });
      expect(skipped.counts).toMatchObject({ created: 4, skipped: 2, failed: 0 });
      expect(await slugsLike('mid-%')).toEqual(['mid-a', 'mid-b', 'mid-c', 'mid-d', 'mid-taken']);
      expect(await promptBySlug('mid-a')).toMatchObject({ title: 'A', version: 1, tag_names: ['t1'] });
      expect(await promptBySlug('mid-c')).toMatchObject({
        tag_names: ['t1', 't2'],
        search_tags: ['t1', 't2'],
      });
      await clean();

      const versioned = await c.imported(team.editor, file(), 'mid.csv', { onDuplicate: 'new_version' });
      expect(versioned.counts).toMatchObject({ created: 4, updated: 2, failed: 0 });
      expect(await promptBySlug('mid-taken')).toMatchObject({ content: 'New {{x}}', version: 2 });
      expect(await promptBySlug('mid-a')).toMatchObject({
        title: 'A again',
        content: 'Second a',
        version: 2,
      });
      expect(await slugsLike('mid-%')).toHaveLength(5);
      await clean();
      await t.owner.query(`UPDATE prompts SET content = 'Old', title = 'Taken' WHERE slug = 'mid-taken'`);

      const renamed = await c.imported(team.editor, file(), 'mid.csv', { onDuplicate: 'rename' });
      expect(renamed.counts).toMatchObject({ created: 6, failed: 0 });
      expect(await slugsLike('mid-%')).toEqual([
        'mid-a',
        'mid-a-2',
        'mid-b',
        'mid-c',
        'mid-d',
        'mid-taken',
        'mid-taken-2',
      ]);
      expect(renamed.preview.find((r) => r.row === 5)).toMatchObject({
        action: 'rename',
        outcome: 'created',
        detail: 'renamed to mid-a-2',
      });
      // Renaming left the existing prompt as it was (version 2 is the new_version run's).
      expect(await promptBySlug('mid-taken')).toMatchObject({ content: 'Old', version: 2 });
      await clean();
    });

    it('the plan limit reached mid-batch creates exactly up to the limit; the rest fail with plan_limit_reached', async () => {
      const other = await signUp(t, 'Limited mid-batch');
      const org = other.organizationId;
      const rows = Array.from({ length: 40 }, (_, i) => `cap-${i + 1},Cap ${i + 1},,Text ${i + 1},,,,,,,,`);
      const ready = await c.uploaded(other, csv(...rows), 'cap.csv', org);
      expect(ready.planLimit).toMatchObject({ max: 100, remaining: 100, wouldCreate: 40 });
      // Between the commit's check and the job, others filled the plan up to 75 of 100.
      await t.owner.query(
        `INSERT INTO prompts (organization_id, slug, title, content, author_id)
           SELECT $1, 'filler-' || g, 'Filler', 'x', $2 FROM generate_series(1, 75) g`,
        [org, other.userId],
      );
      await t.owner.query(
        `UPDATE imports SET status = 'importing', on_duplicate = 'skip', committed_at = now(),
                updated_at = now() - interval '1 hour' WHERE id = $1`,
        [ready.id],
      );
      const done = await waitFor(
        'the sweeper to run the import',
        async () => {
          const v = await c.view(other, ready.id, org);
          return v.status === 'done' ? v : null;
        },
        30_000,
      );
      expect(done?.counts).toMatchObject({ total: 40, created: 25, failed: 15 });
      expect(await promptCount(org)).toBe(100);
      expect(await slugsLike('cap-%', org)).toHaveLength(25);
      const failed = await t.owner.query(
        `SELECT row, outcome_detail FROM import_rows WHERE import_id = $1 AND outcome = 'failed' ORDER BY row`,
        [ready.id],
      );
      expect(failed.rows.map((r: { row: number }) => r.row)).toEqual(
        Array.from({ length: 15 }, (_, i) => 26 + i),
      );
      expect(
        failed.rows.every((r: { outcome_detail: string }) =>
          r.outcome_detail.startsWith('plan_limit_reached'),
        ),
      ).toBe(true);
    });

    it('writes one audit event and one outbox row per prompt plus one per import, and the chain verifies', async () => {
      const rows = Array.from(
        { length: 30 },
        (_, i) => `count-${i + 1},Count ${i + 1},,Text {{v}} ${i + 1},count-tag|Count-Tag,,,,,,,`,
      );
      const done = await c.imported(team.editor, csv(...rows), 'count.csv');
      expect(done.counts).toMatchObject({ created: 30, failed: 0 });
      const ids = (
        await t.owner.query(`SELECT id FROM prompts WHERE organization_id = $1 AND slug LIKE 'count-%'`, [
          team.org,
        ])
      ).rows.map((r: { id: string }) => r.id);
      expect(ids).toHaveLength(30);
      const audit = await t.owner.query(
        `SELECT target_id, count(*)::int AS n FROM audit_events
          WHERE organization_id = $1 AND action = 'prompt.created' AND target_id = ANY($2::text[])
          GROUP BY target_id`,
        [team.org, ids],
      );
      expect(audit.rows).toHaveLength(30);
      expect(audit.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
      const outbox = await t.owner.query(
        `SELECT aggregate_id, count(*)::int AS n FROM outbox_events
          WHERE organization_id = $1 AND type = 'prompt.created' AND aggregate_id = ANY($2::text[])
          GROUP BY aggregate_id`,
        [team.org, ids],
      );
      expect(outbox.rows).toHaveLength(30);
      expect(outbox.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
      const perImport = await t.owner.query(
        `SELECT (SELECT count(*)::int FROM audit_events WHERE action = 'import.completed' AND target_id = $1) AS audit,
                (SELECT count(*)::int FROM outbox_events WHERE type = 'import.completed' AND aggregate_id = $1) AS outbox`,
        [done.id],
      );
      expect(perImport.rows[0]).toEqual({ audit: 1, outbox: 1 });
      const tagCreated = await t.owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'tag.created'
            AND changes->>'name' ILIKE 'count-tag'`,
        [team.org],
      );
      expect(tagCreated.rows[0].n).toBe(1);
      const versions = await t.owner.query(
        `SELECT count(*)::int AS n FROM prompt_versions WHERE prompt_id = ANY($1::uuid[]) AND version = 1`,
        [ids],
      );
      expect(versions.rows[0].n).toBe(30);
      expect(await promptBySlug('count-7')).toMatchObject({
        tag_names: ['count-tag'],
        search_tags: ['count-tag'],
        variables: [expect.objectContaining({ name: 'v', type: 'text' })],
      });
      const verify = await t
        .http()
        .get('/api/v1/audit-events/verify')
        .set(auth(team.owner, team.org))
        .expect(200);
      expect(verify.body).toMatchObject({ valid: true });
    });

    it('the words of imported prompts (title, content, tags) join the search vocabulary, once per statement', async () => {
      const rows = Array.from(
        { length: 12 },
        (_, i) => `vocab-${i + 1},Zephyrtitle ${i + 1},,Quixoticword {{v}} shared ${i + 1},Glimmertag,,,,,,,`,
      );
      const done = await c.imported(team.editor, csv(...rows), 'vocab.csv');
      expect(done.counts).toMatchObject({ created: 12, failed: 0 });
      const words = async (list: string[]) =>
        (
          await t.owner.query(
            `SELECT word FROM search_words WHERE organization_id = $1 AND word = ANY($2::text[]) ORDER BY word`,
            [team.org, list],
          )
        ).rows.map((r: { word: string }) => r.word);
      expect(await words(['zephyrtitle', 'quixoticword', 'glimmertag', 'shared'])).toEqual([
        'glimmertag',
        'quixoticword',
        'shared',
        'zephyrtitle',
      ]);
      // The per-row trigger still runs on updates.
      const [prompt] = (
        await t.owner.query(`SELECT id FROM prompts WHERE organization_id = $1 AND slug = 'vocab-1'`, [
          team.org,
        ])
      ).rows as Array<{ id: string }>;
      await t
        .http()
        .patch(`/api/v1/prompts/${prompt.id}`)
        .set(auth(team.editor, team.org))
        .send({ content: 'Brandnewword {{v}}' })
        .expect(200);
      expect(await words(['brandnewword'])).toEqual(['brandnewword']);
    });

    it(`plain creations commit in parallel batches (PostgreSQL); a second job on the same import imports nothing twice`, async () => {
      const total = 3 * COMMIT_BATCH + 7;
      const rows = Array.from({ length: total }, (_, i) =>
        // Every 100th row is invalid (no content); the tags are new in the first batches of both jobs.
        (i + 1) % 100 === 0
          ? `lane-${i + 1},Lane ${i + 1},,,,,,,,,,`
          : `lane-${i + 1},Lane ${i + 1},,Text {{v}} ${i + 1} lane${i % 7},lane-tag-${i % 5}|Lane-Shared,,,,,,,`,
      );
      const invalid = Math.floor(total / 100);
      const other = await signUp(t, 'Lanes import');
      const org = other.organizationId;
      await t.owner.query(`UPDATE organizations SET plan = 'enterprise' WHERE id = $1`, [org]);
      const ready = await c.uploaded(other, csv(...rows), 'lanes.csv', org);
      expect(ready.counts).toMatchObject({ total, valid: total - invalid, invalid });
      const generation = async () =>
        (
          await t.owner.query(`SELECT generation FROM search_generations WHERE organization_id = $1`, [org])
        ).rows.map((r: { generation: string }) => BigInt(r.generation))[0] ?? 0n;
      const generationBefore = await generation();

      const runner = t.app.get(ImportRunner);
      type Batch = (
        caller: unknown,
        importId: string,
        after?: number,
        lane?: boolean,
      ) => Promise<number | null>;
      const target = runner as unknown as { commitBatch: Batch };
      const original = target.commitBatch.bind(runner);
      let inFlight = 0;
      let mostInFlight = 0;
      let laneBatches = 0;
      const spy = jest
        .spyOn(target, 'commitBatch')
        .mockImplementation(async (caller, importId, after, lane) => {
          if (lane) laneBatches++;
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          try {
            return await original(caller, importId, after, lane);
          } finally {
            inFlight--;
          }
        });
      try {
        expect((await c.commit(other, ready.id, { onDuplicate: 'skip' }, org)).status).toBe(202);
        // A second job of the same import at the same time (as a sweeper's resume beside a slow original).
        const second = runner.commit(org, ready.id, other.userId);
        const done = await c.settled(other, ready.id, org);
        await second;
        expect(done.status).toBe('done');
        expect(done.counts).toMatchObject({ total, created: total - invalid, skipped: invalid, failed: 0 });
      } finally {
        spy.mockRestore();
      }
      if (usingRealPostgres) {
        expect(laneBatches).toBeGreaterThanOrEqual(4);
        expect(mostInFlight).toBeGreaterThanOrEqual(2);
      } else expect(laneBatches).toBe(0);

      const prompts = await t.owner.query(
        `SELECT count(*)::int AS n, count(DISTINCT slug)::int AS slugs FROM prompts WHERE organization_id = $1`,
        [org],
      );
      expect(prompts.rows[0]).toEqual({ n: total - invalid, slugs: total - invalid });
      const outcomes = await t.owner.query(
        `SELECT outcome, count(*)::int AS n, count(DISTINCT prompt_id)::int AS prompts FROM import_rows
          WHERE import_id = $1 GROUP BY outcome ORDER BY outcome`,
        [ready.id],
      );
      expect(outcomes.rows).toEqual([
        { outcome: 'created', n: total - invalid, prompts: total - invalid },
        { outcome: 'skipped', n: invalid, prompts: 0 },
      ]);
      const audit = await t.owner.query(
        `SELECT count(*) FILTER (WHERE action = 'prompt.created')::int AS prompts,
                count(*) FILTER (WHERE action = 'import.completed')::int AS imports,
                count(*) FILTER (WHERE action = 'tag.created')::int AS tags
           FROM audit_events WHERE organization_id = $1`,
        [org],
      );
      expect(audit.rows[0]).toEqual({ prompts: total - invalid, imports: 1, tags: 6 });
      const outbox = await t.owner.query(
        `SELECT count(*) FILTER (WHERE type = 'prompt.created')::int AS prompts,
                count(*) FILTER (WHERE type = 'import.completed')::int AS imports
           FROM outbox_events WHERE organization_id = $1`,
        [org],
      );
      expect(outbox.rows[0]).toEqual({ prompts: total - invalid, imports: 1 });
      const tagged = await t.owner.query(
        `SELECT count(*)::int AS n FROM prompt_tags pt JOIN prompts p ON p.id = pt.prompt_id WHERE p.organization_id = $1`,
        [org],
      );
      expect(tagged.rows[0].n).toBe(2 * (total - invalid));
      expect(
        (
          await t.owner.query(
            `SELECT word FROM search_words WHERE organization_id = $1 AND word IN ('lane0', 'lane6') ORDER BY word`,
            [org],
          )
        ).rows,
      ).toEqual([{ word: 'lane0' }, { word: 'lane6' }]);
      const verify = await t.http().get('/api/v1/audit-events/verify').set(auth(other, org)).expect(200);
      expect(verify.body).toMatchObject({ valid: true });
      // Each batch defers its search generation bumps and moves it once: the search cache still
      // sees the change.
      expect(await generation()).toBeGreaterThan(generationBefore);
    });

    it(`a job killed between batches of ${COMMIT_BATCH} resumes at the next batch and imports nothing twice`, async () => {
      const total = COMMIT_BATCH + 20;
      const rows = Array.from(
        { length: total },
        (_, i) => `kill-${i + 1},Kill ${i + 1},,Text ${i + 1},,,,,,,,`,
      );
      const other = await signUp(t, 'Killed import');
      const org = other.organizationId;
      await t.owner.query(`UPDATE organizations SET plan = 'enterprise' WHERE id = $1`, [org]);
      const ready = await c.uploaded(other, csv(...rows), 'kill.csv', org);
      expect(ready.counts).toMatchObject({ total, valid: total });
      const runner = t.app.get(ImportRunner);
      type Batch = (caller: unknown, importId: string, ...rest: unknown[]) => Promise<number | null>;
      const target = runner as unknown as { commitBatch: Batch };
      const original = target.commitBatch.bind(runner);
      let batches = 0;
      // The first batch commits; every later one (another lane's, the next) dies before writing.
      const spy = jest.spyOn(target, 'commitBatch').mockImplementation(async (caller, importId, ...rest) => {
        if (++batches === 1) return original(caller, importId, ...rest);
        throw new Error('simulated kill between batches');
      });
      try {
        expect((await c.commit(other, ready.id, { onDuplicate: 'skip' }, org)).status).toBe(202);
        const mid = await waitFor(
          'the first batch',
          async () => {
            const v = await c.view(other, ready.id, org);
            return batches >= 2 && v.counts.created > 0 ? v : null;
          },
          30_000,
        );
        expect(mid?.status).toBe('importing');
        expect(mid?.counts).toMatchObject({ created: COMMIT_BATCH });
        expect(await slugsLike('kill-%', org)).toHaveLength(COMMIT_BATCH);
      } finally {
        spy.mockRestore();
      }
      await t.owner.query(`UPDATE imports SET updated_at = now() - interval '1 hour' WHERE id = $1`, [
        ready.id,
      ]);
      const done = await waitFor(
        'the sweeper to resume the import',
        async () => {
          const v = await c.view(other, ready.id, org);
          return v.status === 'done' ? v : null;
        },
        30_000,
      );
      expect(done?.counts).toMatchObject({ total, created: total, failed: 0 });
      expect(await slugsLike('kill-%', org)).toHaveLength(total);
      const created = await t.owner.query(
        `SELECT count(*)::int AS n FROM audit_events a JOIN prompts p ON p.id::text = a.target_id
          WHERE a.action = 'prompt.created' AND p.slug LIKE 'kill-%' AND p.organization_id = $1`,
        [org],
      );
      expect(created.rows[0].n).toBe(total);
    });
  });
});
