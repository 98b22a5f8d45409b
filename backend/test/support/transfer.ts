import type { SignedUpUser, TestApp } from './test-app';
import { auth } from './test-app';
import { waitFor } from './wait';

/** Helpers shared by the import and export integration specs. */

/** The import specs' file limit (413 above it). */
export const IMPORT_MAX_BYTES = 12 * 1024 * 1024;
/** The import specs' record limit (the largest file they import holds 1,507). */
export const IMPORT_MAX_ROWS = 2000;
/**
 * The import specs' app environment: those limits, and a sweeper that resumes a silent job after
 * 5 s.
 */
export const IMPORT_TEST_ENV = {
  IMPORT_MAX_BYTES: String(IMPORT_MAX_BYTES),
  IMPORT_MAX_ROWS: String(IMPORT_MAX_ROWS),
  TRANSFER_SWEEP_INTERVAL_MS: '200',
  TRANSFER_STALE_MS: '5000',
};

export const IMPORT_CSV_HEADER =
  'slug,title,description,content,tags,category,collection,status,visibility,model,temperature,maxTokens';
/** A CSV file of the import columns with these rows. */
export const importCsv = (...rows: string[]) => [IMPORT_CSV_HEADER, ...rows].join('\n') + '\n';

/**
 * What an import left in the database, read as the owner: how many prompts an organization has,
 * and one prompt by slug with its tag, category and collection names. `t` and `org` are read at
 * call time (they are set in `beforeAll`).
 */
export function importedPrompts(t: () => TestApp, org: () => string) {
  const count = async (organizationId = org()) =>
    Number(
      (
        await t().owner.query(`SELECT count(*) AS n FROM prompts WHERE organization_id = $1`, [
          organizationId,
        ])
      ).rows[0].n,
    );
  const bySlug = async (slug: string, organizationId = org()) =>
    (
      await t().owner.query(
        `SELECT p.*, (SELECT array_agg(t.name ORDER BY t.name) FROM prompt_tags pt JOIN tags t ON t.id = pt.tag_id
                       WHERE pt.prompt_id = p.id) AS tag_names,
                (SELECT name FROM categories WHERE id = p.category_id) AS category_name,
                (SELECT name FROM collections WHERE id = p.collection_id) AS collection_name
           FROM prompts p WHERE organization_id = $1 AND slug = $2`,
        [organizationId, slug],
      )
    ).rows[0] as Record<string, unknown> | undefined;
  return { count, bySlug };
}

export interface ImportView {
  id: string;
  status: string;
  error: string | null;
  counts: Record<string, number>;
  preview: Array<{
    row: number;
    source: string | null;
    slug: string | null;
    title: string | null;
    action: string;
    duplicate: string | null;
    errors: Array<{ field: string; message: string }>;
    outcome: string | null;
    detail: string | null;
    promptId: string | null;
  }>;
  progress: { done: number; total: number };
  variables: string[];
  planLimit: { max: number | null; current: number; remaining: number | null; wouldCreate: number } | null;
}

/** `defaultOrg` is the organization requests go to unless one is given. */
export function transferClient(
  t: TestApp,
  defaultOrg: (user: SignedUpUser) => string = (u) => u.organizationId,
) {
  const upload = (
    user: SignedUpUser,
    body: Buffer | string,
    filename: string,
    org = defaultOrg(user),
    format?: string,
  ) => {
    let req = t.http().post('/api/v1/imports').set(auth(user, org));
    if (format) req = req.field('format', format);
    return req.attach('file', Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), filename);
  };
  const view = async (user: SignedUpUser, id: string, org = defaultOrg(user)) =>
    (await t.http().get(`/api/v1/imports/${id}`).set(auth(user, org)).expect(200)).body as ImportView;
  /** Waits while the import is being validated or imported. */
  const settled = async (user: SignedUpUser, id: string, org = defaultOrg(user)): Promise<ImportView> =>
    (await waitFor(
      `import ${id} to settle`,
      async () => {
        const v = await view(user, id, org);
        return v.status === 'validating' || v.status === 'importing' ? null : v;
      },
      30_000,
    )) as ImportView;
  /** Uploads and waits for the preview. */
  const uploaded = async (
    user: SignedUpUser,
    body: Buffer | string,
    filename: string,
    org = defaultOrg(user),
  ) => {
    const res = await upload(user, body, filename, org);
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
    return settled(user, (res.body as { id: string }).id, org);
  };
  const commit = (user: SignedUpUser, id: string, body: Record<string, unknown>, org = defaultOrg(user)) =>
    t.http().post(`/api/v1/imports/${id}/commit`).set(auth(user, org)).send(body);
  /** Uploads, commits with `onDuplicate` and waits for the outcome. */
  const imported = async (
    user: SignedUpUser,
    body: Buffer | string,
    filename: string,
    options: Record<string, unknown> = { onDuplicate: 'skip' },
    org = defaultOrg(user),
  ) => {
    const ready = await uploaded(user, body, filename, org);
    if (ready.status !== 'ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
    const res = await commit(user, ready.id, options, org);
    if (res.status !== 202) throw new Error(`commit: ${res.status} ${JSON.stringify(res.body)}`);
    return settled(user, ready.id, org);
  };

  const requestExport = (user: SignedUpUser, body: Record<string, unknown>, org = defaultOrg(user)) =>
    t.http().post('/api/v1/exports').set(auth(user, org)).send(body);
  /** Requests an export, waits for it and downloads the file. */
  const exported = async (user: SignedUpUser, body: Record<string, unknown>, org = defaultOrg(user)) => {
    const res = await requestExport(user, body, org);
    if (res.status !== 202) throw new Error(`export: ${res.status} ${JSON.stringify(res.body)}`);
    const id = (res.body as { id: string }).id;
    interface ExportStatus {
      status: string;
      count: number;
      downloadUrl?: string;
      expiresAt?: string;
      error?: string;
    }
    const done = (await waitFor(
      `export ${id}`,
      async () => {
        const v = (await t.http().get(`/api/v1/exports/${id}`).set(auth(user, org)).expect(200))
          .body as ExportStatus;
        return v.status === 'done' || v.status === 'failed' ? v : null;
      },
      30_000,
    )) as ExportStatus;
    if (done.status !== 'done') throw new Error(`export failed: ${JSON.stringify(done)}`);
    const file = await t
      .http()
      .get(`/api/v1/exports/${id}/download`)
      .set(auth(user, org))
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    return { id, view: done, file: file.body as Buffer, headers: file.headers };
  };
  return { upload, view, settled, uploaded, commit, imported, requestExport, exported };
}
