import * as yauzl from 'yauzl';
import { parse as parseYaml } from 'yaml';
import {
  auth,
  bootTestApp,
  redisUrl,
  signUp,
  signUpTeam,
  SignedUpUser,
  Team,
  TestApp,
  usingRealPostgres,
} from './support/test-app';
import { transferClient } from './support/transfer';

const driver = `${usingRealPostgres ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'BullMQ' : 'inline queue'}`;

interface JsonExport {
  format: string;
  exportedAt: string;
  organization: { name: string; slug: string };
  prompts: Array<Record<string, unknown> & { slug: string; versions?: Array<Record<string, unknown>> }>;
}

function unzip(buffer: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const files: Record<string, string> = {};
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, s) => {
          if (e || !s) return reject(e ?? new Error('no stream'));
          const parts: Buffer[] = [];
          s.on('data', (c: Buffer) => parts.push(c));
          s.on('end', () => {
            files[entry.fileName] = Buffer.concat(parts).toString('utf8');
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(files));
      zip.readEntry();
    }),
  );
}

describe(`Export (${driver})`, () => {
  let t: TestApp;
  let team: Team;
  let c: ReturnType<typeof transferClient>;
  let collectionId: string;
  const ids: Record<string, string> = {};

  const call = (
    method: 'get' | 'post' | 'put' | 'patch',
    path: string,
    user: SignedUpUser,
    body?: object,
    org = team.org,
  ) => {
    const req = t.http()[method](`/api/v1${path}`).set(auth(user, org));
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    t = await bootTestApp();
    team = await signUpTeam(t);
    c = transferClient(t, (u) => (u === team.outsider ? u.organizationId : team.org));
    collectionId = (await call('post', '/collections', team.editor, { name: 'Exported set' }).expect(201))
      .body.id;
    const child = (
      await call('post', '/collections', team.editor, { name: 'Child set', parentId: collectionId }).expect(
        201,
      )
    ).body.id;
    const category = (await call('get', '/categories', team.editor).expect(200)).body.items.find(
      (x: { name: string }) => x.name === 'Support',
    ).id;
    const make = async (user: SignedUpUser, body: Record<string, unknown>) =>
      (await call('post', '/prompts', user, body).expect(201)).body.id as string;
    ids.versioned = await make(team.editor, {
      slug: 'exp-versioned',
      title: 'Versioned v1',
      description: 'first',
      content: 'Answer {{question}}',
      tags: ['support', 'faq'],
      categoryId: category,
      collectionId,
      status: 'published',
      metadata: { model: 'gpt-4o', temperature: 0.3 },
    });
    await call('patch', `/prompts/${ids.versioned}`, team.editor, {
      content: 'Answer {{question}} politely',
      changeNote: 'tone',
    }).expect(200);
    await call('patch', `/prompts/${ids.versioned}`, team.editor, {
      title: 'Versioned v3',
      variables: [{ name: 'question', type: 'text', required: true, description: 'What they ask' }],
    }).expect(200);
    await call('put', `/prompts/${ids.versioned}/labels/staging`, team.editor, { version: 3 }).expect(200);
    await call('put', `/prompts/${ids.versioned}/labels/production`, team.admin, { version: 2 }).expect(200);
    ids.formula = await make(team.editor, {
      slug: 'exp-formula',
      title: '=HYPERLINK("x")',
      content: '-1 + {{n}} @home',
      collectionId: child,
    });
    ids.editorPrivate = await make(team.editor, {
      slug: 'exp-editor-private',
      title: 'Editor secret',
      content: 'secret',
      visibility: 'private',
    });
    ids.ownerPrivate = await make(team.owner, {
      slug: 'exp-owner-private',
      title: 'Owner secret',
      content: 'owner secret',
      visibility: 'private',
    });
    ids.plain = await make(team.admin, { slug: 'exp-plain', title: 'Plain', content: 'Plain text' });
  });
  afterAll(() => t?.close());

  it('JSON with every version and label round-trips through import into another organization', async () => {
    const { file, headers, view } = await c.exported(team.owner, { format: 'json' });
    expect(headers['content-type']).toMatch(/application\/json/);
    expect(headers['content-disposition']).toMatch(/attachment; filename="prompts-\d{4}-\d{2}-\d{2}\.json"/);
    expect(view.expiresAt).toBeDefined();
    const doc = JSON.parse(file.toString('utf8')) as JsonExport;
    expect(doc).toMatchObject({ format: 'prompt-vault/v1', organization: { slug: expect.any(String) } });
    const slugs = doc.prompts.map((p) => p.slug).sort();
    expect(slugs).toEqual(['exp-formula', 'exp-owner-private', 'exp-plain', 'exp-versioned']);
    expect(view.count).toBe(4);
    const versioned = doc.prompts.find((p) => p.slug === 'exp-versioned')!;
    expect(versioned).toMatchObject({
      title: 'Versioned v3',
      tags: ['faq', 'support'],
      category: 'Support',
      collection: 'Exported set',
      status: 'published',
      labels: { staging: 3, production: 2 },
      metadata: { model: 'gpt-4o', temperature: 0.3 },
    });
    expect(versioned.versions!.map((v) => [v.version, v.title, v.changeNote, v.author])).toEqual([
      [1, 'Versioned v1', null, team.editor.email],
      [2, 'Versioned v1', 'tone', team.editor.email],
      [3, 'Versioned v3', null, team.editor.email],
    ]);

    // Into another organization: the same prompts, versions and labels.
    const other = await signUp(t, 'Receiver');
    const done = await c.imported(other, file, 'export.json', { onDuplicate: 'skip' }, other.organizationId);
    expect(done.counts).toMatchObject({ total: 4, created: 4, failed: 0 });
    const again = await c.exported(other, { format: 'json' }, other.organizationId);
    const copy = JSON.parse(again.file.toString('utf8')) as JsonExport;
    const strip = (d: JsonExport) =>
      d.prompts
        .map((p) => ({
          ...p,
          versions: p.versions?.map(({ createdAt: _c, author: _a, ...v }): Record<string, unknown> => ({
            ...v,
            changeNote: v.changeNote ?? null,
          })),
        }))
        .sort((a, b) => a.slug.localeCompare(b.slug));
    const original = strip(doc).map((p) => ({
      ...p,
      // Version 1 of an import notes the file when the source had no note.
      versions: p.versions?.map((v) =>
        v.version === 1 && v.changeNote === null ? { ...v, changeNote: 'Imported from export.json' } : v,
      ),
    }));
    expect(strip(copy)).toEqual(original);
  });

  it('CSV holds current versions with formulas neutralized, and imports back to the same content', async () => {
    const { file, headers } = await c.exported(team.editor, { format: 'csv', collectionId });
    expect(headers['content-type']).toMatch(/text\/csv/);
    const text = file.toString('utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'slug,title,description,content,tags,category,collection,status,visibility,model,temperature,maxTokens',
    );
    expect(lines).toHaveLength(3);
    expect(text).toContain(
      `exp-formula,"'=HYPERLINK(""x"")",,'-1 + {{n}} @home,,,Child set,draft,organization,,,`,
    );
    expect(text).toContain(
      'exp-versioned,Versioned v3,first,Answer {{question}} politely,faq|support,Support,Exported set,published',
    );

    const other = await signUp(t, 'CSV receiver');
    await c.imported(other, file, 'export.csv', { onDuplicate: 'skip' }, other.organizationId);
    const row = (
      await t.owner.query(
        `SELECT title, content FROM prompts WHERE organization_id = $1 AND slug = 'exp-formula'`,
        [other.organizationId],
      )
    ).rows[0];
    expect(row).toEqual({ title: '=HYPERLINK("x")', content: '-1 + {{n}} @home' });
  });

  it('Markdown is a zip of front-matter files that imports back', async () => {
    const { file, headers } = await c.exported(team.admin, {
      format: 'markdown',
      ids: [ids.versioned, ids.plain],
    });
    expect(headers['content-type']).toBe('application/zip');
    const files = await unzip(file);
    expect(Object.keys(files).sort()).toEqual(['exp-plain.md', 'exp-versioned.md']);
    const [, front, body] = /^---\n([\s\S]*?)---\n([\s\S]*)$/.exec(files['exp-versioned.md'])!;
    expect(parseYaml(front)).toMatchObject({
      slug: 'exp-versioned',
      title: 'Versioned v3',
      tags: ['faq', 'support'],
      model: 'gpt-4o',
      temperature: 0.3,
    });
    expect(body).toBe('Answer {{question}} politely');
    const other = await signUp(t, 'MD receiver');
    const done = await c.imported(other, file, 'export.zip', { onDuplicate: 'skip' }, other.organizationId);
    expect(done.counts).toMatchObject({ created: 2 });
    const row = (
      await t.owner.query(
        `SELECT title, content, variables FROM prompts WHERE organization_id = $1 AND slug = 'exp-versioned'`,
        [other.organizationId],
      )
    ).rows[0];
    expect(row).toEqual({
      title: 'Versioned v3',
      content: 'Answer {{question}} politely',
      variables: [{ name: 'question', type: 'text', required: true, description: 'What they ask' }],
    });
  });

  it('never contains private prompts of others; the requester sees their own', async () => {
    const admin = JSON.parse(
      (await c.exported(team.admin, { format: 'json', includeVersions: false })).file.toString(),
    ) as JsonExport;
    expect(admin.prompts.map((p) => p.slug)).not.toEqual(expect.arrayContaining(['exp-editor-private']));
    expect(admin.prompts.some((p) => p.slug.endsWith('-private'))).toBe(false);
    expect(admin.prompts[0].versions).toBeUndefined();
    const editor = JSON.parse(
      (
        await c.exported(team.editor, { format: 'json', ids: [ids.editorPrivate, ids.ownerPrivate] })
      ).file.toString(),
    ) as JsonExport;
    expect(editor.prompts.map((p) => p.slug)).toEqual(['exp-editor-private']);
  });

  it('exports what a search finds', async () => {
    const { view, file } = await c.exported(team.editor, { format: 'csv', query: 'politely' });
    expect(view.count).toBe(1);
    expect(file.toString()).toContain('exp-versioned');
  });

  it('exports a search with its filters, or the filters alone, and keeps them on the export', async () => {
    const narrowed = await c.exported(team.editor, {
      format: 'csv',
      query: 'politely',
      filters: { tags: ['nomatch'] },
    });
    expect(narrowed.view.count).toBe(0);
    const tagged = await c.exported(team.editor, {
      format: 'json',
      filters: { tags: ['faq'], sort: 'updated' },
    });
    const doc = JSON.parse(tagged.file.toString()) as JsonExport;
    expect(doc.prompts.map((p) => p.slug)).toEqual(['exp-versioned']);
    const stored = await t.owner.query(`SELECT selection FROM exports WHERE id = $1`, [tagged.id]);
    expect(stored.rows[0].selection).toEqual({ kind: 'query', query: '', filters: { tags: ['faq'] } });
    const empty = await c.exported(team.editor, { format: 'csv', filters: {} });
    const all = await t.owner.query(`SELECT selection FROM exports WHERE id = $1`, [empty.id]);
    expect(all.rows[0].selection).toEqual({ kind: 'all' });
  });

  it('expired links answer 410 and lose their file; unfinished ones 409', async () => {
    const { id } = await c.exported(team.editor, { format: 'csv', ids: [ids.plain] });
    await t.owner.query(`UPDATE exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    const view = await call('get', `/exports/${id}`, team.editor).expect(200);
    expect(view.body.downloadUrl).toBeUndefined();
    const gone = await call('get', `/exports/${id}/download`, team.editor).expect(410);
    expect(gone.body.code).toBe('export_expired');
    const queued = (
      await t.owner.query(
        `INSERT INTO exports (organization_id, created_by, format, selection, status) VALUES ($1, $2, 'csv', '{"kind":"all"}', 'failed') RETURNING id`,
        [team.org, team.editor.userId],
      )
    ).rows[0].id;
    expect((await call('get', `/exports/${queued}/download`, team.editor).expect(409)).body.code).toBe(
      'export_not_ready',
    );
  });

  it('lists the requester’s exports, newest first, with pages', async () => {
    const page = await call('get', '/exports?limit=2', team.editor).expect(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await call('get', `/exports?limit=2&cursor=${page.body.nextCursor}`, team.editor).expect(
      200,
    );
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    const admins = await call('get', '/exports', team.viewer).expect(200);
    expect(admins.body.items).toEqual([]);
  });

  it('401, 403 when the organization stops members exporting, 404 across users and organizations, 400 on bad input', async () => {
    await t.http().post('/api/v1/exports').send({ format: 'json' }).expect(401);
    const viewer = await c.requestExport(team.viewer, { format: 'csv' });
    expect(viewer.status).toBe(202);
    await call('patch', `/organizations/${team.org}/settings`, team.owner, {
      membersMayExport: false,
    }).expect(200);
    try {
      expect((await c.requestExport(team.editor, { format: 'csv' })).status).toBe(403);
      expect((await c.requestExport(team.viewer, { format: 'csv' })).status).toBe(403);
      await call('get', `/exports/${viewer.body.id}`, team.viewer).expect(403);
      expect((await c.requestExport(team.admin, { format: 'csv' })).status).toBe(202);
    } finally {
      await call('patch', `/organizations/${team.org}/settings`, team.owner, {
        membersMayExport: true,
      }).expect(200);
    }
    const mine = await c.exported(team.editor, { format: 'csv', ids: [ids.plain] });
    await call('get', `/exports/${mine.id}`, team.admin).expect(404);
    await call('get', `/exports/${mine.id}/download`, team.admin).expect(404);
    await t.http().get(`/api/v1/exports/${mine.id}`).set(auth(team.outsider)).expect(404);
    await call('get', '/exports/nope', team.editor).expect(400);
    const both = await c.requestExport(team.editor, { format: 'csv', ids: [ids.plain], query: 'x' });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['ids', 'query']);
    const mixed = await c.requestExport(team.editor, {
      format: 'csv',
      collectionId,
      filters: { status: 'draft' },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors.map((e: { field: string }) => e.field)).toEqual(['collectionId', 'filters']);
    const badFilter = await c.requestExport(team.editor, {
      format: 'csv',
      filters: { status: 'gone', category: 'x' },
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['filters.status', 'filters.category']),
    );
    const backwards = await c.requestExport(team.editor, {
      format: 'csv',
      filters: { updatedFrom: '2026-02-01', updatedTo: '2026-01-01' },
    });
    expect(backwards.status).toBe(400);
    const bad = await c.requestExport(team.editor, { format: 'xml', ids: ['x'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['format', 'ids']),
    );
    const versions = await c.requestExport(team.editor, { format: 'csv', includeVersions: true });
    expect(versions.status).toBe(400);
    const missing = await c.requestExport(team.editor, {
      format: 'csv',
      collectionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.status).toBe(400);
    const audited = await t.owner.query(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'export.requested' AND target_id = $1`,
      [mine.id],
    );
    expect(Number(audited.rows[0].n)).toBe(1);
  });
});
