import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootTestApp, TestApp } from './support/test-app';

/**
 * Serving the console (issue 17, item 5): installed under a folder whose name starts with a dot
 * (`~/.local/share/prompt-vault`), `/` and every deep link answer the console, and a static file
 * missing at request time is a 404 problem, never a 500.
 */
describe('console serving under a dot-folder install path', () => {
  let t: TestApp;
  let base: string;
  let dist: string;
  const INDEX = '<!doctype html><html><body><pv-root>console</pv-root></body></html>';

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'pv-console-'));
    dist = join(base, '.local', 'share', 'prompt-vault', 'browser');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'main-abc.js'), 'console.log("main")');
    t = await bootTestApp({ env: { ADMIN_DIST: dist }, serveConsole: true, runWorkers: false });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('answers the console at / and on deep links', async () => {
    for (const path of ['/', '/prompts/6f1f3f0e-1b1a-4c1e-9b7e-3f3c2b1a0d9e', '/settings/members']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toBe(INDEX);
    }
  });

  it('serves the built assets', async () => {
    const res = await t.http().get('/main-abc.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toContain('console.log');
  });

  it('never falls back to the console under /api', async () => {
    const res = await t.http().get('/api/v1/no-such-route').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('route_not_found');
  });

  it('does not serve dotfiles inside the console folder', async () => {
    writeFileSync(join(dist, '.env'), 'SECRET=1');
    const res = await t.http().get('/.env').expect(200);
    expect(res.text).toBe(INDEX);
    expect(res.text).not.toContain('SECRET');
  });

  it('answers a 404 problem, not a 500, when index.html is missing at request time', async () => {
    unlinkSync(join(dist, 'index.html'));
    try {
      const res = await t.http().get('/library').expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'not_found' });
    } finally {
      writeFileSync(join(dist, 'index.html'), INDEX);
    }
  });
});
