import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../src/database/data-source-options';
import { EmbeddedPostgres } from '../src/database/embedded/embedded-postgres';
import { bootTestApp } from './support/test-app';

describe('embedded PGlite database', () => {
  it('keeps data on disk across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-embedded-'));
    const email = 'persist@example.com';

    const first = await EmbeddedPostgres.start(dir);
    const database = { url: first.url, driver: 'pglite' as const, drop: () => first.stop() };
    const t1 = await bootTestApp({ database });
    await t1
      .http()
      .post('/api/v1/auth/signup')
      .send({ email, password: 'a long enough password', name: 'Persisted' })
      .expect(201);
    await t1.close(); // stops PGlite too

    const second = await EmbeddedPostgres.start(dir);
    const t2 = await bootTestApp({
      database: { url: second.url, driver: 'pglite', drop: () => second.stop() },
    });
    try {
      const login = await t2
        .http()
        .post('/api/v1/auth/login')
        .send({ email, password: 'a long enough password' })
        .expect(200);
      expect(login.body.accessToken).toEqual(expect.any(String));
      const { rows } = await t2.owner.query(`SELECT count(*)::int AS n FROM typeorm_migrations`);
      expect(rows[0].n).toBe(MIGRATIONS.length); // each migration ran once, not again on restart
    } finally {
      await t2.close();
    }
  });
});
