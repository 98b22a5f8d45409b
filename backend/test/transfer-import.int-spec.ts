import { ZipFile } from 'yazl';
import { ImportRowWriter } from '../src/modules/transfer/import-row-writer';
import { ImportRowsRepository } from '../src/modules/transfer/import-rows.repository';
import { ImportsRepository } from '../src/modules/transfer/imports.repository';
import { JobCallers } from '../src/modules/transfer/job-caller';
import { TransferSweeper } from '../src/modules/transfer/transfer.processor';
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
import {
  IMPORT_CSV_HEADER,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  IMPORT_TEST_ENV,
  importCsv,
  importedPrompts,
  transferClient,
} from './support/transfer';
import { waitFor } from './support/wait';

const driver = `${usingRealPostgres ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'BullMQ' : 'inline queue'}`;
const MAX_BYTES = IMPORT_MAX_BYTES;
const HEADER = IMPORT_CSV_HEADER;
const csv = importCsv;

function zip(entries: Array<[string, Buffer | string]>): Promise<Buffer> {
  const z = new ZipFile();
  for (const [name, body] of entries) z.addBuffer(Buffer.isBuffer(body) ? body : Buffer.from(body), name);
  z.end();
  const parts: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => parts.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    z.outputStream.on('error', reject);
  });
}

describe(`Import (${driver})`, () => {
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

  describe('CSV', () => {
    it('previews rows with errors and variables, commits the valid ones with tags, category and collection, audited', async () => {
      const file = csv(
        'csv-welcome,Welcome mail,Greets,"Hello {{name}}, welcome to {{product}}",onboarding|mail,Marketing,Imported mails,published,organization,gpt-4o,0.7,500',
        ',No content row,,,,,,,,,,',
        'csv-summary,Summary,,"Summarize: {{text}}",,,,draft,private,,,',
      );
      const ready = await c.uploaded(team.editor, file, 'prompts.csv');
      expect(ready.status).toBe('ready');
      expect(ready.counts).toMatchObject({ total: 3, valid: 2, invalid: 1, duplicates: 0 });
      expect(ready.variables).toEqual(['name', 'product', 'text']);
      expect(ready.planLimit).toMatchObject({ max: 100, wouldCreate: 2 });
      const bad = ready.preview[0];
      expect(bad).toMatchObject({ row: 2, title: 'No content row', action: 'skip', source: 'line 3' });
      expect(bad.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'content' })]));
      expect(ready.preview.slice(1).map((r) => r.action)).toEqual(['create', 'create']);

      const before = await promptCount();
      const res = await c.commit(team.editor, ready.id, { onDuplicate: 'skip', tags: ['batch-1'] });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ id: ready.id, status: 'importing' });
      const done = await c.settled(team.editor, ready.id);
      expect(done.status).toBe('done');
      expect(done.counts).toMatchObject({ created: 2, skipped: 1, failed: 0 });
      expect(done.progress).toEqual({ done: 3, total: 3 });
      // The plan's room is a question of a ready import only; polls of a committed one skip the count.
      expect(done.planLimit).toBeNull();
      expect(await promptCount()).toBe(before + 2);

      const welcome = await promptBySlug('csv-welcome');
      expect(welcome).toMatchObject({
        title: 'Welcome mail',
        description: 'Greets',
        content: 'Hello {{name}}, welcome to {{product}}',
        status: 'published',
        visibility: 'organization',
        author_id: team.editor.userId,
        metadata: { model: 'gpt-4o', temperature: 0.7, maxTokens: 500 },
        tag_names: ['batch-1', 'mail', 'onboarding'],
        category_name: 'Marketing',
        collection_name: 'Imported mails',
        version: 1,
      });
      expect(await promptBySlug('csv-summary')).toMatchObject({ visibility: 'private', status: 'draft' });
      const versions = await t.owner.query(
        `SELECT version, change_note FROM prompt_versions WHERE prompt_id = $1`,
        [welcome!.id],
      );
      expect(versions.rows).toEqual([{ version: 1, change_note: 'Imported from prompts.csv' }]);

      const audit = await t.owner.query(
        `SELECT action, actor_id, target_id, changes FROM audit_events WHERE organization_id = $1
           AND (action = 'import.completed' OR (action = 'prompt.created' AND target_id = $2))`,
        [team.org, welcome!.id],
      );
      expect(audit.rows.map((r) => r.action).sort()).toEqual(['import.completed', 'prompt.created']);
      const completed = audit.rows.find((r) => r.action === 'import.completed');
      expect(completed).toMatchObject({ actor_id: team.editor.userId, target_id: ready.id });
      expect(completed.changes.counts).toMatchObject({ total: 3, created: 2, skipped: 1 });
      const outbox = await t.owner.query(
        `SELECT type FROM outbox_events WHERE organization_id = $1 AND (aggregate_id = $2 OR aggregate_id = $3)`,
        [team.org, ready.id, welcome!.id],
      );
      expect(outbox.rows.map((r) => r.type).sort()).toEqual(['import.completed', 'prompt.created']);

      const errors = await t
        .http()
        .get(`/api/v1/imports/${ready.id}/errors`)
        .set(auth(team.editor, team.org))
        .expect(200);
      expect(errors.headers['content-type']).toMatch(/text\/csv/);
      const lines = errors.text.trim().split('\r\n');
      expect(lines[0]).toBe('row,source,slug,title,field,message');
      expect(lines.slice(1).every((l) => l.startsWith('2,line 3,'))).toBe(true);
      expect(lines.join('\n')).toMatch(/content/);
    });

    it('re-committing does nothing twice; other options answer 409', async () => {
      const ready = await c.uploaded(team.editor, csv('idem-one,Idem one,,Text one,,,,,,,,'), 'idem.csv');
      const before = await promptCount();
      expect((await c.commit(team.editor, ready.id, { onDuplicate: 'skip' })).status).toBe(202);
      expect((await c.commit(team.editor, ready.id, { onDuplicate: 'skip' })).status).toBe(202);
      await c.settled(team.editor, ready.id);
      const again = await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      expect(again.status).toBe(202);
      expect(again.body.status).toBe('done');
      const other = await c.commit(team.editor, ready.id, { onDuplicate: 'rename' });
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('import_already_committed');
      await new Promise((r) => setTimeout(r, 300));
      expect(await promptCount()).toBe(before + 1);
      const completed = await t.owner.query(
        `SELECT count(*) AS n FROM audit_events WHERE action = 'import.completed' AND target_id = $1`,
        [ready.id],
      );
      expect(Number(completed.rows[0].n)).toBe(1);
    });

    it('a category or collection a member creates after a batch read the names is used, not refused', async () => {
      const ready = await c.uploaded(
        team.owner,
        csv('csv-late-names,Late names,,Body,,Made meanwhile,Filed meanwhile,draft,organization,,,'),
        'late.csv',
      );
      expect(ready.status).toBe('ready');
      const created = async (path: string) =>
        (
          await t
            .http()
            .post(`/api/v1/${path}`)
            .set(auth(team.owner, team.org))
            .send({ name: path === 'categories' ? 'Made meanwhile' : 'Filed meanwhile' })
            .expect(201)
        ).body.id as string;
      const category = await created('categories');
      const collection = await created('collections');
      // A batch whose names were read before those two were created: its maps lack them.
      const dto = await t.app.get(JobCallers).run(team.org, team.owner.userId, async (caller) => {
        const imp = (await t.app.get(ImportsRepository).find(ready.id))!;
        const [row] = await t.app.get(ImportRowsRepository).pending(ready.id, 0, 10);
        return t.app.get(ImportRowWriter).createDto(caller, imp, row.data!, row.data!, {
          categories: new Map(),
          collections: new Map(),
        });
      });
      expect(dto).toMatchObject({ categoryId: category, collectionId: collection });
      for (const table of ['categories', 'collections']) {
        const rows = await t.owner.query(
          `SELECT count(*)::int AS n FROM ${table} WHERE organization_id = $1 AND name IN ('Made meanwhile', 'Filed meanwhile')`,
          [team.org],
        );
        expect(rows.rows[0].n).toBe(1);
      }
    });

    it('refuses a file that is not UTF-8, or has unknown or missing columns, writing nothing', async () => {
      const before = await promptCount();
      const latin1 = Buffer.concat([
        Buffer.from(`${HEADER}\nlat,Caf`),
        Buffer.from([0xe9]),
        Buffer.from(',,text,,,,,,,,\n'),
      ]);
      const enc = await c.uploaded(team.editor, latin1, 'latin1.csv');
      expect(enc).toMatchObject({ status: 'failed', error: expect.stringMatching(/not valid UTF-8/) });
      expect(enc.counts.total).toBe(0);
      const cols = await c.uploaded(team.editor, 'name,prompt\nx,y\n', 'cols.csv');
      expect(cols).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/missing: title, content; unknown: name, prompt/),
      });
      const commit = await c.commit(team.editor, cols.id, { onDuplicate: 'skip' });
      expect(commit.status).toBe(409);
      expect(commit.body.code).toBe('import_not_ready');
      const ragged = await c.uploaded(team.editor, `${HEADER}\nonly,three,cells\n`, 'ragged.csv');
      expect(ragged.preview[0].errors).toEqual([
        { field: 'row', message: 'the row has 3 cells, the header 12' },
      ]);
      expect(await promptCount()).toBe(before);
    });

    it('the preview of a long file lists its problem rows first, then the first other rows, 200 in all', async () => {
      const rows = Array.from({ length: 260 }, (_, i) =>
        // Rows 5 and 240 have no content (errors); row 7 repeats row 6's slug (a duplicate).
        i === 4 || i === 239
          ? `pv-long-${i},Long ${i},,,,,,,,,,`
          : `pv-long-${i === 6 ? 5 : i},Long ${i},,Text ${i},,,,,,,,`,
      );
      const ready = await c.uploaded(team.editor, csv(...rows), 'long.csv');
      expect(ready.counts).toMatchObject({ total: 260, valid: 258, invalid: 2, duplicates: 1 });
      expect(ready.preview.map((r) => r.row)).toEqual([
        5,
        7,
        240,
        ...Array.from({ length: 200 }, (_, i) => i + 1)
          .filter((r) => r !== 5 && r !== 7)
          .slice(0, 197),
      ]);
    });

    it('a 10 MB field is a clear row error while the other rows import', async () => {
      const huge = 'x'.repeat(10 * 1024 * 1024);
      const ready = await c.uploaded(
        team.editor,
        csv(`big-one,Big,,${huge},,,,,,,,`, 'small-one,Small,,Fine {{x}},,,,,,,,'),
        'big.csv',
      );
      expect(ready.counts).toMatchObject({ total: 2, valid: 1, invalid: 1 });
      const big = ready.preview.find((r) => r.row === 1)!;
      expect(big.errors).toEqual([{ field: 'content', message: expect.stringMatching(/100000/) }]);
      await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      const done = await c.settled(team.editor, ready.id);
      expect(done.counts).toMatchObject({ created: 1, skipped: 1 });
      expect(await promptBySlug('big-one')).toBeUndefined();
      expect(await promptBySlug('small-one')).toBeDefined();
    });

    it('fails a file of more than IMPORT_MAX_ROWS records, in one file or across a zip, keeping no row', async () => {
      const before = await promptCount();
      const rows = (n: number, from = 0) =>
        Array.from({ length: n }, (_, i) => `max-${from + i},Max ${from + i},,Text,,,,,,,,`);
      const most = IMPORT_MAX_ROWS.toLocaleString('en-US');
      const error = `The file holds more than ${most} prompts, the most one import takes (IMPORT_MAX_ROWS); split it into files of at most ${most}`;
      const kept = async (id: string) =>
        Number(
          (await t.owner.query(`SELECT count(*) AS n FROM import_rows WHERE import_id = $1`, [id])).rows[0].n,
        );

      const over = await c.uploaded(team.editor, csv(...rows(IMPORT_MAX_ROWS + 1)), 'over.csv');
      expect(over).toMatchObject({ status: 'failed', error, preview: [] });
      expect(over.counts.total).toBe(0);
      expect(await kept(over.id)).toBe(0);
      const commit = await c.commit(team.editor, over.id, { onDuplicate: 'skip' });
      expect(commit.status).toBe(409);
      expect(commit.body.code).toBe('import_not_ready');

      // Two CSV files in a zip, each under the limit, more than it together.
      const half = IMPORT_MAX_ROWS / 2;
      const zipped = await c.uploaded(
        team.editor,
        await zip([
          ['a.csv', csv(...rows(half))],
          ['b.csv', csv(...rows(half + 1, half))],
        ]),
        'over.zip',
      );
      expect(zipped).toMatchObject({ status: 'failed', error });
      expect(await kept(zipped.id)).toBe(0);

      const full = await c.uploaded(team.editor, csv(...rows(IMPORT_MAX_ROWS)), 'full.csv');
      expect(full).toMatchObject({ status: 'ready', error: null });
      expect(full.counts).toMatchObject({ total: IMPORT_MAX_ROWS, valid: IMPORT_MAX_ROWS });
      expect(await promptCount()).toBe(before);
    });

    it('keeps the uploaded file only while validating: ready or refused, it is deleted', async () => {
      const blobs = async () =>
        Number(
          (
            await t.owner.query(`SELECT count(*) AS n FROM transfer_blobs WHERE organization_id = $1`, [
              team.org,
            ])
          ).rows[0].n,
        );
      const before = await blobs();
      const ready = await c.uploaded(team.editor, csv('kept-not,Kept not,,Body,,,,,,,,'), 'kept.csv');
      const refused = await c.uploaded(team.editor, Buffer.from([0xff, 0xfe, 0x00]), 'refused.csv');
      expect([ready.status, refused.status]).toEqual(['ready', 'failed']);
      expect(await blobs()).toBe(before);
      const rows = await t.owner.query(`SELECT blob_id FROM imports WHERE id = ANY($1::uuid[])`, [
        [ready.id, refused.id],
      ]);
      expect(rows.rows).toEqual([{ blob_id: null }, { blob_id: null }]);
      // The preview, the commit and the error file read the rows validation wrote.
      await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      expect((await c.settled(team.editor, ready.id)).counts).toMatchObject({ created: 1 });
      expect(await promptBySlug('kept-not')).toBeDefined();
    });

    it('a sweep empties the records kept in the rows of a done import; its preview and error file stay', async () => {
      const ready = await c.uploaded(
        team.editor,
        csv('compact-one,Compact one,,Body one,,,,,,,,', 'compact-bad,Compact bad,,,,,,,,,,'),
        'compact.csv',
      );
      const waiting = await c.uploaded(team.editor, csv('compact-later,Later,,Body,,,,,,,,'), 'later.csv');
      const records = async (id: string) =>
        (
          await t.owner.query(
            `SELECT row, data IS NULL AS invalid, data = '{}' AS empty FROM import_rows WHERE import_id = $1 ORDER BY row`,
            [id],
          )
        ).rows;
      // Before the commit, which reads them, the records are kept.
      expect(await records(ready.id)).toEqual([
        { row: 1, invalid: false, empty: false },
        { row: 2, invalid: true, empty: null },
      ]);
      const errors = async () =>
        (
          await t
            .http()
            .get(`/api/v1/imports/${ready.id}/errors`)
            .set(auth(team.editor, team.org))
            .expect(200)
        ).text;
      const errorsBefore = await errors();
      await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      const done = await c.settled(team.editor, ready.id);

      // This app's sweeper runs every 200 ms too; one sweep more makes sure it ran after the commit.
      await t.app.get(TransferSweeper).sweep();
      expect(await records(ready.id)).toEqual([
        { row: 1, invalid: false, empty: true },
        { row: 2, invalid: true, empty: null },
      ]);
      const compacted = await t.owner.query(`SELECT rows_compacted_at FROM imports WHERE id = $1`, [
        ready.id,
      ]);
      expect(compacted.rows[0].rows_compacted_at).not.toBeNull();
      // An import not committed keeps its records.
      expect(await records(waiting.id)).toEqual([{ row: 1, invalid: false, empty: false }]);
      expect(await c.view(team.editor, ready.id)).toEqual(done);
      expect(await errors()).toBe(errorsBefore);
      expect(await promptBySlug('compact-one')).toMatchObject({ content: 'Body one' });
    });

    it('answers 413 over IMPORT_MAX_BYTES and stores nothing', async () => {
      const blobs = async () =>
        Number((await t.owner.query(`SELECT count(*) AS n FROM transfer_blobs`)).rows[0].n);
      const before = await blobs();
      const res = await c.upload(team.editor, Buffer.alloc(MAX_BYTES + 1024, 'a'), 'huge.csv');
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('payload_too_large');
      expect(await blobs()).toBe(before);
    });
  });

  describe('duplicates', () => {
    const file = () =>
      csv(
        'dup-existing,From file,,New content {{v}},,,,,,,,',
        'dup-fresh,Fresh,,Fresh text,,,,,,,,',
        'dup-fresh,Fresh again,,Second text,,,,,,,,',
      );

    beforeAll(async () => {
      await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(team.editor, team.org))
        .send({ slug: 'dup-existing', title: 'Existing', content: 'Old' })
        .expect(201);
    });
    afterEach(async () => {
      await t.owner.query(
        `DELETE FROM prompts WHERE organization_id = $1 AND slug LIKE 'dup-%' AND slug <> 'dup-existing'`,
        [team.org],
      );
    });

    it('marks duplicates against the organization and within the file; skip leaves them', async () => {
      const ready = await c.uploaded(team.editor, file(), 'dups.csv');
      expect(ready.counts).toMatchObject({ total: 3, valid: 3, duplicates: 2 });
      const byRow = Object.fromEntries(ready.preview.map((r) => [r.row, r]));
      expect(byRow[1]).toMatchObject({ duplicate: 'organization', action: 'skip' });
      expect(byRow[3]).toMatchObject({ duplicate: 'file', action: 'skip' });
      expect(ready.planLimit!.wouldCreate).toBe(1);
      await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      const done = await c.settled(team.editor, ready.id);
      expect(done.counts).toMatchObject({ created: 1, skipped: 2 });
      expect(await promptBySlug('dup-existing')).toMatchObject({ content: 'Old', version: 1 });
      expect(await promptBySlug('dup-fresh')).toMatchObject({ title: 'Fresh' });
    });

    it('new_version adds a version to the existing prompt and to the one made earlier in the file', async () => {
      const done = await c.imported(team.editor, file(), 'dups.csv', { onDuplicate: 'new_version' });
      expect(done.counts).toMatchObject({ created: 1, updated: 2 });
      expect(await promptBySlug('dup-existing')).toMatchObject({ content: 'New content {{v}}', version: 2 });
      expect(await promptBySlug('dup-fresh')).toMatchObject({
        title: 'Fresh again',
        content: 'Second text',
        version: 2,
      });
      await t.owner.query(
        `UPDATE prompts SET content = 'Old', title = 'Existing' WHERE slug = 'dup-existing'`,
      );
    });

    it('rename creates them under the next free slug', async () => {
      const done = await c.imported(team.editor, file(), 'dups.csv', { onDuplicate: 'rename' });
      expect(done.counts).toMatchObject({ created: 3 });
      expect(done.preview.find((r) => r.row === 1)).toMatchObject({
        action: 'rename',
        outcome: 'created',
        detail: 'renamed to dup-existing-2',
      });
      expect(await promptBySlug('dup-existing-2')).toMatchObject({ title: 'From file' });
      expect(await promptBySlug('dup-fresh-2')).toMatchObject({ title: 'Fresh again' });
    });

    it('an EDITOR may not add versions to prompts of others: those rows fail, the rest imports', async () => {
      await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(team.editor2, team.org))
        .send({ slug: 'dup-of-editor2', title: 'Theirs', content: 'Theirs' })
        .expect(201);
      const done = await c.imported(
        team.editor,
        csv('dup-of-editor2,Mine,,Mine,,,,,,,,', 'dup-mine,Mine too,,Mine,,,,,,,,'),
        'x.csv',
        { onDuplicate: 'new_version' },
      );
      expect(done.counts).toMatchObject({ created: 1, failed: 1 });
      expect(done.preview[0]).toMatchObject({
        row: 1,
        outcome: 'failed',
        detail: expect.stringMatching(/^forbidden/),
      });
      expect(await promptBySlug('dup-of-editor2')).toMatchObject({ content: 'Theirs', version: 1 });
    });
  });

  describe('Markdown, JSON and zip', () => {
    it('imports Markdown with front matter; broken front matter is a row error', async () => {
      const md = `---\nslug: md-one\ntitle: From Markdown\ntags: [md, docs]\ntemperature: 0.2\nvariables:\n  - name: topic\n    type: select\n    options: [a, b]\n    required: true\n---\nWrite about {{topic}}.\n`;
      const done = await c.imported(team.editor, md, 'one.md');
      expect(done.counts).toMatchObject({ created: 1 });
      expect(await promptBySlug('md-one')).toMatchObject({
        title: 'From Markdown',
        content: 'Write about {{topic}}.\n',
        metadata: { temperature: 0.2 },
        variables: [{ name: 'topic', type: 'select', options: ['a', 'b'], required: true }],
        tag_names: ['docs', 'md'],
      });
      const broken = await c.uploaded(team.editor, '---\ntitle: [unclosed\n---\nBody\n', 'broken.md');
      expect(broken.counts).toMatchObject({ total: 1, invalid: 1 });
      expect(broken.preview[0].errors).toEqual([
        { field: 'frontMatter', message: expect.stringMatching(/not valid YAML/) },
      ]);
    });

    it('refuses JSON that is not a prompt-vault/v1 document or not JSON', async () => {
      const other = await c.uploaded(
        team.editor,
        JSON.stringify({ prompts: [{ title: 'a', content: 'b' }] }),
        'x.json',
      );
      expect(other).toMatchObject({ status: 'failed', error: expect.stringMatching(/prompt-vault\/v1/) });
      const broken = await c.uploaded(
        team.editor,
        '{"format": "prompt-vault/v1", "prompts": [{"title": ',
        'y.json',
      );
      expect(broken).toMatchObject({ status: 'failed', error: expect.stringMatching(/not valid JSON/) });
      expect(broken.counts.total).toBe(0);
    });

    it('imports a zip of CSV, JSON and Markdown files', async () => {
      const body = await zip([
        ['a.csv', csv('zip-csv,Zip CSV,,From csv,,,,,,,,')],
        ['dir/b.md', '---\nslug: zip-md\ntitle: Zip MD\n---\nFrom md'],
        [
          'c.json',
          JSON.stringify({
            format: 'prompt-vault/v1',
            prompts: [{ slug: 'zip-json', title: 'Zip JSON', content: 'From json' }],
          }),
        ],
        ['notes.txt', 'ignored?'],
      ]);
      const ready = await c.uploaded(team.editor, body, 'bundle.zip');
      expect(ready.counts).toMatchObject({ total: 4, valid: 3, invalid: 1 });
      expect(ready.preview[0]).toMatchObject({
        source: 'notes.txt',
        errors: [{ field: 'file', message: expect.stringMatching(/only \.csv/) }],
      });
      await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      expect((await c.settled(team.editor, ready.id)).counts.created).toBe(3);
      for (const slug of ['zip-csv', 'zip-md', 'zip-json']) expect(await promptBySlug(slug)).toBeDefined();
    });

    it('a prompt with more than 1,000 versions or 100 labels is a row error; long histories commit in batches of at most 500 writes', async () => {
      const history = (slug: string, n: number, labels: Record<string, number> = {}) => ({
        slug,
        title: slug,
        content: `${slug} ${n}`,
        versions: Array.from({ length: n }, (_, i) => ({
          version: i + 1,
          title: slug,
          content: `${slug} ${i + 1}`,
        })),
        labels,
      });
      const manyLabels = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`l-${i}`, 1]));
      const ready = await c.uploaded(
        team.editor,
        JSON.stringify({
          format: 'prompt-vault/v1',
          prompts: [
            history('hist-over', 1001),
            history('hist-a', 250),
            history('hist-b', 248, { staging: 248 }),
            history('hist-c', 250),
            history('hist-labels', 1, manyLabels),
            { slug: 'hist-plain', title: 'Plain', content: 'Plain' },
          ],
        }),
        'histories.json',
      );
      expect(ready.counts).toMatchObject({ total: 6, valid: 4, invalid: 2 });
      const errors = Object.fromEntries(ready.preview.map((r) => [r.row, r.errors]));
      expect(errors[1]).toEqual([
        { field: 'versions', message: 'at most 1,000 versions per prompt are imported; this one has 1,001' },
      ]);
      expect(errors[5]).toEqual([
        { field: 'labels', message: 'at most 100 labels per prompt are imported; this one has 101' },
      ]);
      // A batch stops once 500 writes come before its next row: row 1 (invalid, 1), row 2 (250
      // versions), row 3 (248 versions and a label); row 4 starts the next batch.
      const batch = (after: number) =>
        t.app
          .get(JobCallers)
          .run(team.org, team.editor.userId, () =>
            t.app.get(ImportRowsRepository).pending(ready.id, after, 500),
          );
      expect((await batch(0)).map((r) => r.row)).toEqual([1, 2, 3]);
      expect((await batch(3)).map((r) => r.row)).toEqual([4, 5, 6]);

      await c.commit(team.editor, ready.id, { onDuplicate: 'skip' });
      const done = await c.settled(team.editor, ready.id);
      expect(done.counts).toMatchObject({ created: 4, skipped: 2 });
      const versions = await t.owner.query(
        `SELECT p.slug, count(v.*)::int AS n,
                (SELECT jsonb_object_agg(l.label, l.version) FROM prompt_labels l WHERE l.prompt_id = p.id) AS labels
           FROM prompts p JOIN prompt_versions v ON v.prompt_id = p.id
          WHERE p.organization_id = $1 AND p.slug LIKE 'hist-%' GROUP BY p.id, p.slug ORDER BY p.slug`,
        [team.org],
      );
      expect(versions.rows).toEqual([
        { slug: 'hist-a', n: 250, labels: null },
        { slug: 'hist-b', n: 248, labels: { staging: 248 } },
        { slug: 'hist-c', n: 250, labels: null },
        { slug: 'hist-plain', n: 1, labels: null },
      ]);
    });

    it('refuses a zip bomb before inflating it', async () => {
      const before = await promptCount();
      const bomb = await zip([['bomb.csv', Buffer.alloc(50 * 1024 * 1024, 0x20)]]);
      expect(bomb.length).toBeLessThan(MAX_BYTES);
      const res = await c.uploaded(team.editor, bomb, 'bomb.zip');
      expect(res).toMatchObject({ status: 'failed', error: expect.stringMatching(/zip bomb/) });
      expect(res.counts.total).toBe(0);
      expect(await promptCount()).toBe(before);
    });
  });

  describe('resume', () => {
    it('a commit killed mid-way resumes at the first row without an outcome and imports nothing twice', async () => {
      const rows = Array.from(
        { length: 60 },
        (_, i) => `resume-${i + 1},Resume ${i + 1},,Text ${i + 1},,,,,,,,`,
      );
      const ready = await c.uploaded(team.editor, csv(...rows), 'resume.csv');
      // What a job killed after its first batch leaves: status importing, a few rows done, silent since.
      const first = await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(team.editor, team.org))
        .send({ slug: 'resume-1', title: 'Resume 1', content: 'Text 1' })
        .expect(201);
      await t.owner.query(
        `UPDATE imports SET status = 'importing', on_duplicate = 'skip', committed_at = now(), updated_at = now() - interval '1 hour' WHERE id = $1`,
        [ready.id],
      );
      await t.owner.query(
        `UPDATE import_rows SET outcome = 'created', action = 'create', prompt_id = $2 WHERE import_id = $1 AND row = 1`,
        [ready.id, first.body.id],
      );
      const done = await waitFor(
        'the sweeper to resume the import',
        async () => {
          const v = await c.view(team.editor, ready.id);
          return v.status === 'done' ? v : null;
        },
        30_000,
      );
      expect(done?.counts).toMatchObject({ total: 60, created: 60, failed: 0 });
      const slugs = await t.owner.query(
        `SELECT slug FROM prompts WHERE organization_id = $1 AND slug LIKE 'resume-%'`,
        [team.org],
      );
      expect(slugs.rows).toHaveLength(60);
      const completed = await t.owner.query(
        `SELECT count(*) AS n FROM audit_events WHERE action = 'import.completed' AND target_id = $1`,
        [ready.id],
      );
      expect(Number(completed.rows[0].n)).toBe(1);
    });
  });

  describe('limits and permissions', () => {
    it('refuses a commit beyond the plan prompt limit, saying how many fit', async () => {
      const other = await signUp(t, 'Limited');
      const rows = Array.from({ length: 101 }, (_, i) => `lim-${i},Limit ${i},,Text,,,,,,,,`);
      const ready = await c.uploaded(other, csv(...rows), 'limit.csv', other.organizationId);
      expect(ready.planLimit).toEqual({ max: 100, current: 0, remaining: 100, wouldCreate: 101 });
      const res = await c.commit(other, ready.id, { onDuplicate: 'skip' }, other.organizationId);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'plan_limit_reached', limit: 'prompts', max: 100 });
      expect((await c.view(other, ready.id, other.organizationId)).status).toBe('ready');
      expect(await promptCount(other.organizationId)).toBe(0);
    });

    it('401 without credentials, 403 for VIEWER, 404 across organizations and for other editors, 400 on bad input', async () => {
      await t
        .http()
        .post('/api/v1/imports')
        .attach('file', Buffer.from(csv('a,A,,B,,,,,,,,')), 'a.csv')
        .expect(401);
      expect((await c.upload(team.viewer, csv('a,A,,B,,,,,,,,'), 'a.csv')).status).toBe(403);
      const ready = await c.uploaded(team.editor, csv('perm-a,A,,B,,,,,,,,'), 'a.csv');
      await t.http().get(`/api/v1/imports/${ready.id}`).expect(401);
      await t.http().get(`/api/v1/imports/${ready.id}`).set(auth(team.viewer, team.org)).expect(403);
      await t.http().get(`/api/v1/imports/${ready.id}`).set(auth(team.editor2, team.org)).expect(404);
      await t.http().get(`/api/v1/imports/${ready.id}`).set(auth(team.admin, team.org)).expect(200);
      await t.http().get(`/api/v1/imports/${ready.id}`).set(auth(team.outsider)).expect(404);
      await t.http().get(`/api/v1/imports/${ready.id}/errors`).set(auth(team.outsider)).expect(404);
      expect((await c.commit(team.outsider, ready.id, { onDuplicate: 'skip' })).status).toBe(404);
      expect((await c.commit(team.outsider, ready.id, { onDuplicate: 'skip' }, team.org)).status).toBe(404);
      expect((await c.commit(team.viewer, ready.id, { onDuplicate: 'skip' })).status).toBe(403);
      await t.http().get('/api/v1/imports/not-a-uuid').set(auth(team.editor, team.org)).expect(400);
      const badBody = await c.commit(team.editor, ready.id, { onDuplicate: 'overwrite', tags: ['ok', ''] });
      expect(badBody.status).toBe(400);
      expect(badBody.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['onDuplicate', 'tags']),
      );
      const badCollection = await c.commit(team.editor, ready.id, {
        onDuplicate: 'skip',
        collectionId: '00000000-0000-4000-8000-000000000000',
      });
      expect(badCollection.status).toBe(400);
      expect(badCollection.body.errors).toEqual([
        { field: 'collectionId', message: 'no such collection in this organization' },
      ]);
      const noFile = await t
        .http()
        .post('/api/v1/imports')
        .set(auth(team.editor, team.org))
        .field('format', 'csv');
      expect(noFile.status).toBe(400);
      expect(noFile.body.errors).toEqual([{ field: 'file', message: expect.stringMatching(/required/) }]);
      const badFormat = await c.upload(team.editor, 'x', 'a.txt');
      expect(badFormat.status).toBe(400);
      expect(badFormat.body.errors[0].field).toBe('format');
      const json = await t
        .http()
        .post('/api/v1/imports')
        .set(auth(team.editor, team.org))
        .send({ file: 'x' });
      expect(json.status).toBe(415);
    });
  });
});
