import { bootTestApp, signUp, TestApp } from './support/test-app';

const PASSWORD = 'correct horse battery';
const COOKIE_MODE = { 'X-Session-Mode': 'cookie' };

/** The refresh cookies a response sets, by path. */
function refreshCookies(res: { headers: Record<string, unknown> }): Map<string, string> {
  const raw = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return new Map(
    raw
      .filter((c) => c.startsWith('pv_refresh='))
      .map((c) => [/Path=([^;]+)/i.exec(c)?.[1] ?? '', c] as [string, string]),
  );
}
const valueOf = (cookie: string) => cookie.slice('pv_refresh='.length, cookie.indexOf(';'));

describe('browser sessions: the refresh token in an HttpOnly cookie', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp();
  });
  afterAll(() => t?.close());

  const cookieLogin = async (email: string) => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set(COOKIE_MODE)
      .send({ email, password: PASSWORD })
      .expect(200);
    return { res, cookie: valueOf(refreshCookies(res).get('/api/v1/auth/refresh')!) };
  };

  it('in cookie mode the body has no refresh token and the cookie is HttpOnly, SameSite=Strict, path-scoped', async () => {
    const u = await signUp(t);
    const { res, cookie } = await cookieLogin(u.email);
    expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
    const cookies = refreshCookies(res);
    expect([...cookies.keys()].sort()).toEqual(['/api/v1/auth/logout', '/api/v1/auth/refresh']);
    for (const c of cookies.values()) {
      expect(c).toMatch(/; HttpOnly/);
      expect(c).toMatch(/; SameSite=Strict/);
      expect(c).toMatch(/; Max-Age=2592000/);
      expect(c).not.toMatch(/; Secure/); // PUBLIC_URL is http://localhost here
      expect(valueOf(c)).toBe(cookie);
    }
    expect(cookie.length).toBeGreaterThan(20);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
  });

  it('API clients keep the JSON tokens and get no cookie', async () => {
    const u = await signUp(t);
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: u.email, password: PASSWORD })
      .expect(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    expect(res.headers['set-cookie']).toBeUndefined();
    const next = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: res.body.refreshToken })
      .expect(200);
    expect(next.body.refreshToken).toEqual(expect.any(String));
    expect(next.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes through the cookie, rotating it; a rotated cookie ends the session and is cleared', async () => {
    const u = await signUp(t);
    const { cookie } = await cookieLogin(u.email);
    const next = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set(COOKIE_MODE)
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(200);
    expect(next.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
    const rotated = valueOf(refreshCookies(next).get('/api/v1/auth/refresh')!);
    expect(rotated).not.toBe(cookie);

    const reuse = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set(COOKIE_MODE)
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(401);
    expect(reuse.body.code).toBe('refresh_token_reused');
    const cleared = refreshCookies(reuse);
    expect(cleared.size).toBe(2);
    for (const c of cleared.values()) expect(c).toMatch(/Expires=Thu, 01 Jan 1970/);
    const gone = await t
      .http()
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${next.body.accessToken}`)
      .expect(401);
    expect(gone.body.code).toBe('session_revoked');
  });

  it('without a cookie, cookie mode answers 401 (no session), JSON mode 400 (field missing)', async () => {
    const none = await t.http().post('/api/v1/auth/refresh').set(COOKIE_MODE).expect(401);
    expect(none.body.code).toBe('refresh_token_invalid');
    const missing = await t.http().post('/api/v1/auth/refresh').send({}).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'refreshToken', message: expect.any(String) }]);
  });

  it('refuses the cookie without the custom header (what a cross-site form sends) and from a foreign origin', async () => {
    const u = await signUp(t);
    const { cookie } = await cookieLogin(u.email);
    // A plain form post carries the cookie but cannot add the header: the cookie is not read.
    const form = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set('Cookie', `pv_refresh=${cookie}`)
      .type('form')
      .send('x=1')
      .expect(400);
    expect(form.body.code).toBe('validation_failed');
    const foreign = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set(COOKIE_MODE)
      .set('Origin', 'https://evil.example')
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(403);
    expect(foreign.body.code).toBe('origin_not_allowed');
    await t
      .http()
      .post('/api/v1/auth/logout')
      .set(COOKIE_MODE)
      .set('Origin', 'https://evil.example')
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(403);
    // The session survived both: its own origin may continue it.
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .set(COOKIE_MODE)
      .set('Origin', t.config.publicUrl)
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(200);
  });

  it('logs out through the cookie: the cookie is cleared and the session ends', async () => {
    const u = await signUp(t);
    const { res, cookie } = await cookieLogin(u.email);
    const out = await t
      .http()
      .post('/api/v1/auth/logout')
      .set(COOKIE_MODE)
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(204);
    for (const c of refreshCookies(out).values()) expect(c).toMatch(/Expires=Thu, 01 Jan 1970/);
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .set(COOKIE_MODE)
      .set('Cookie', `pv_refresh=${cookie}`)
      .expect(401);
    const gone = await t
      .http()
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(401);
    expect(gone.body.code).toBe('session_revoked');
    // Nothing to end is not an error.
    await t.http().post('/api/v1/auth/logout').set(COOKIE_MODE).expect(204);
  });

  it('turns a JSON session (e.g. after an SSO exchange) into a cookie session on refresh', async () => {
    const u = await signUp(t);
    const json = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: u.email, password: PASSWORD })
      .expect(200);
    const res = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set(COOKIE_MODE)
      .send({ refreshToken: json.body.refreshToken })
      .expect(200);
    expect(res.body.refreshToken).toBeUndefined();
    expect(refreshCookies(res).size).toBe(2);
  });
});
