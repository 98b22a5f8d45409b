import { randomBytes } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import { CurrentPrincipal } from '../src/common/context/caller.decorator';
import type { Principal } from '../src/common/context/request-context';
import { recordMails } from './support/mailbox';
import { hasRedisServer, PrivateRedis } from './support/redis-server';
import { bootTestApp, BootOptions, redisUrl, signUp, TestApp, usingRealPostgres } from './support/test-app';
import { waitFor } from './support/wait';

const PASSWORD = 'correct horse battery';
/** How long a revoked session's access token may keep working on another process. */
const REVOCATION_BOUND_MS = 5000;

interface Session {
  accessToken: string;
  refreshToken: string;
}

const login = async (t: TestApp, email: string, password = PASSWORD): Promise<Session> =>
  (await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200)).body as Session;

const me = (t: TestApp, s: Session) =>
  t.http().get('/api/v1/me').set('Authorization', `Bearer ${s.accessToken}`);

/**
 * A signed-in route that needs no database: a second process checks the bearer token on its own,
 * so on PGlite (one database per process) it still proves what the process knows.
 */
@Controller('test-whoami')
class WhoAmIController {
  @Get()
  whoami(@CurrentPrincipal() principal: Principal): { userId: string } {
    return { userId: principal.userId };
  }
}

const whoami = (t: TestApp, s: Session) =>
  t.http().get('/api/v1/test-whoami').set('Authorization', `Bearer ${s.accessToken}`);

/** Polls until the access token is refused with 401 session_revoked (bounded; throws otherwise). */
async function expectEnded(t: TestApp, s: Session, call = me, boundMs = REVOCATION_BOUND_MS): Promise<void> {
  await waitFor(
    'the ended session’s access token to be refused',
    async () => (await call(t, s)).status === 401,
    boundMs,
  );
  const res = await call(t, s).expect(401);
  expect(res.body.code).toBe('session_revoked');
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
}

describe('an ended session ends its access tokens too', () => {
  let t: TestApp;
  let mailbox: ReturnType<typeof recordMails>;
  beforeAll(async () => {
    t = await bootTestApp();
    mailbox = recordMails(t.app);
  });
  afterAll(() => t?.close());

  it('logout: the access token of that session stops working, other sessions keep theirs', async () => {
    const u = await signUp(t);
    const ending = await login(t, u.email);
    const other = await login(t, u.email);
    await me(t, ending).expect(200);
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: ending.refreshToken }).expect(204);
    await expectEnded(t, ending);
    await me(t, other).expect(200);
  });

  it('refresh-token reuse: every access token of the family stops working', async () => {
    const u = await signUp(t);
    const first = await login(t, u.email);
    const second = (
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
    ).body as Session;
    await me(t, second).expect(200);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await expectEnded(t, first);
    await expectEnded(t, second);
  });

  it('password reset: every session of the account stops working', async () => {
    const u = await signUp(t);
    const a = await login(t, u.email);
    const b = await login(t, u.email);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: u.email }).expect(202);
    const token = mailbox.linkTo(u.email, '/reset-password');
    await t
      .http()
      .post('/api/v1/auth/password/reset')
      .send({ token, password: 'reset password 123' })
      .expect(204);
    await expectEnded(t, a);
    await expectEnded(t, b);
    const fresh = await login(t, u.email, 'reset password 123');
    await me(t, fresh).expect(200);
  });

  it('password change: the other sessions end (refresh and access tokens), the current one keeps working', async () => {
    const u = await signUp(t);
    const here = await login(t, u.email);
    const elsewhere = await login(t, u.email);
    await t
      .http()
      .post('/api/v1/auth/password/change')
      .set('Authorization', `Bearer ${here.accessToken}`)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
      .expect(204);
    await expectEnded(t, elsewhere);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: elsewhere.refreshToken }).expect(401);
    await me(t, here).expect(200);
    const rotated = (
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: here.refreshToken }).expect(200)
    ).body as Session;
    await me(t, rotated).expect(200);
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND replaced_by IS NULL`,
      [u.userId],
    );
    expect(rows[0].live).toBe(1);
  });

  it('password change with an API key (no session of its own) ends every session', async () => {
    const u = await signUp(t);
    const s = await login(t, u.email);
    const key = (
      await t
        .http()
        .post(`/api/v1/organizations/${u.organizationId}/api-keys`)
        .set('Authorization', `Bearer ${s.accessToken}`)
        .send({ name: 'automation' })
        .expect(201)
    ).body.key as string;
    await t
      .http()
      .post('/api/v1/auth/password/change')
      .set('X-API-Key', key)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
      .expect(204);
    await expectEnded(t, s);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
  });
});

// Every API process: two apps sharing one Redis. On PostgreSQL they share the database too; PGlite
// is one session per database, so there each app has its own and the second is asked only what
// needs no database.
const describeWithRedis = redisUrl || hasRedisServer() ? describe : describe.skip;
if (!redisUrl && !hasRedisServer())
  console.warn('auth-sessions: skipped the two-process revocation tests (no REDIS_URL, no redis-server)');

describeWithRedis('revocations reach every API process through Redis', () => {
  let redis: PrivateRedis | undefined;
  let a: TestApp;
  let b: TestApp;
  let boot: (extra?: BootOptions) => Promise<TestApp>;
  beforeAll(async () => {
    // A private Redis when the machine has redis-server, so the outage test can stop it.
    redis = hasRedisServer() ? await PrivateRedis.create() : undefined;
    const env = {
      REDIS_URL: redis?.url ?? redisUrl,
      QUEUE_PREFIX: `pvtest-${randomBytes(4).toString('hex')}`,
    };
    a = await bootTestApp({ env, controllers: [WhoAmIController], keepDatabase: usingRealPostgres });
    boot = () =>
      bootTestApp({
        env,
        controllers: [WhoAmIController],
        ...(usingRealPostgres ? { database: a.database, keepDatabase: true } : {}),
      });
    b = await boot();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    if (usingRealPostgres) await a?.database.drop();
    await redis?.stop();
  });

  it('a logout on one process ends the access token on the other', async () => {
    const u = await signUp(a);
    const s = await login(a, u.email);
    await whoami(b, s).expect(200);
    if (usingRealPostgres) await me(b, s).expect(200);
    await a.http().post('/api/v1/auth/logout').send({ refreshToken: s.refreshToken }).expect(204);
    await expectEnded(a, s);
    await expectEnded(b, s, whoami);
    if (usingRealPostgres) await expectEnded(b, s);
  });

  it('a process that starts later learns of earlier revocations', async () => {
    const u = await signUp(a);
    const s = await login(a, u.email);
    await a.http().post('/api/v1/auth/logout').send({ refreshToken: s.refreshToken }).expect(204);
    const late = await boot();
    try {
      // Loaded before the app answered its first request: no wait.
      const res = await whoami(late, s).expect(401);
      expect(res.body.code).toBe('session_revoked');
    } finally {
      await late.close();
    }
  });

  (hasRedisServer() ? it : it.skip)(
    'while Redis is down the revoking process refuses at once; the others learn when it returns',
    async () => {
      const u = await signUp(a);
      const s = await login(a, u.email);
      await whoami(b, s).expect(200);
      await redis!.stop();
      try {
        await a.http().post('/api/v1/auth/logout').send({ refreshToken: s.refreshToken }).expect(204);
        const res = await me(a, s).expect(401);
        expect(res.body.code).toBe('session_revoked');
        await whoami(b, s).expect(200); // nothing can tell it yet
      } finally {
        await redis!.start();
      }
      // Both connections reconnect with a backoff of up to 2 s before the pending entry is written.
      await expectEnded(b, s, whoami, 15_000);
    },
  );
});
