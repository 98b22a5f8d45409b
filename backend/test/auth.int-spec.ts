import { recordMails } from './support/mailbox';
import { bootTestApp, signUp, TestApp } from './support/test-app';

const PASSWORD = 'correct horse battery';

describe('sessions: refresh rotation, logout, password changes, throttling', () => {
  let t: TestApp;
  let mailbox: ReturnType<typeof recordMails>;
  beforeAll(async () => {
    t = await bootTestApp({
      env: { LOGIN_MAX_FAILURES: '4', LOGIN_LOCKOUT_SECONDS: '60', TRUST_PROXY: 'true' },
    });
    mailbox = recordMails(t.app);
  });
  afterAll(() => t?.close());

  // The address limit outlives successes, so the throttling test signs in from an address of its own.
  const login = (email: string, password = PASSWORD, from = '198.51.100.1') =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('signs in with an access token, a refresh token and the lifetime', async () => {
    const u = await signUp(t);
    const res = await login(u.email).expect(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    const { rows } = await t.owner.query(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [
      u.userId,
    ]);
    expect(rows.map((r) => r.token_hash)).not.toContain(res.body.refreshToken); // stored hashed only
  });

  it('rotates refresh tokens and ends the session when a rotated token is reused', async () => {
    const u = await signUp(t);
    const first = (await login(u.email).expect(200)).body;
    const second = (
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
    ).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${second.accessToken}`).expect(200);

    const reuse = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: first.refreshToken })
      .expect(401);
    expect(reuse.body.detail).toMatch(/already used/);
    expect(reuse.body.code).toBe('refresh_token_reused');
    // The whole family is revoked: even the newest token no longer works.
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
    const unknown = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: 'x'.repeat(43) })
      .expect(401);
    expect(unknown.body.code).toBe('refresh_token_invalid');
    await t.http().post('/api/v1/auth/refresh').send({}).expect(400);
  });

  it('logs out: the refresh token stops working', async () => {
    const u = await signUp(t);
    const s = (await login(u.email).expect(200)).body;
    await t.http().post('/api/v1/auth/logout').send({ refreshToken: s.refreshToken }).expect(204);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    await t
      .http()
      .post('/api/v1/auth/logout')
      .send({ refreshToken: 'unknown-token-that-is-long' })
      .expect(204);
  });

  it('changes the password and ends the other sessions, keeping this one', async () => {
    const u = await signUp(t);
    const here = (await login(u.email).expect(200)).body;
    const elsewhere = (await login(u.email).expect(200)).body;
    const auth = { Authorization: `Bearer ${here.accessToken}` };
    const wrong = await t
      .http()
      .post('/api/v1/auth/password/change')
      .set(auth)
      .send({ currentPassword: 'nope', newPassword: 'a brand new password' })
      .expect(400);
    expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'currentPassword is wrong' }]);
    expect(wrong.body.code).toBe('current_password_wrong');
    await t
      .http()
      .post('/api/v1/auth/password/change')
      .set(auth)
      .send({ currentPassword: PASSWORD, newPassword: 'short' })
      .expect(400);
    await t
      .http()
      .post('/api/v1/auth/password/change')
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
      .expect(401);
    await t
      .http()
      .post('/api/v1/auth/password/change')
      .set(auth)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
      .expect(204);

    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: elsewhere.refreshToken }).expect(401);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: here.refreshToken }).expect(200);
    await login(u.email).expect(401);
    await login(u.email, 'a brand new password').expect(200);
    const audit = await t.owner.query(
      `SELECT action FROM audit_events WHERE organization_id = $1 AND action = 'auth.password_changed'`,
      [u.organizationId],
    );
    expect(audit.rows).toHaveLength(1);
  });

  it('resets a forgotten password with a single-use mailed link, without revealing unknown e-mails', async () => {
    const u = await signUp(t);
    const s = (await login(u.email).expect(200)).body;
    await t
      .http()
      .post('/api/v1/auth/password/forgot')
      .send({ email: 'nobody-here@example.com' })
      .expect(202);
    await t.http().post('/api/v1/auth/password/forgot').send({ email: u.email.toUpperCase() }).expect(202);
    const token = mailbox.linkTo(u.email, '/reset-password');
    await t.http().post('/api/v1/auth/password/reset').send({ token, password: 'short' }).expect(400);
    await t
      .http()
      .post('/api/v1/auth/password/reset')
      .send({ token, password: 'reset password 123' })
      .expect(204);
    const again = await t
      .http()
      .post('/api/v1/auth/password/reset')
      .send({ token, password: 'reset password 456' })
      .expect(410);
    expect(again.body.code).toBe('link_used');
    await t
      .http()
      .post('/api/v1/auth/password/reset')
      .send({ token: 'y'.repeat(43), password: 'reset password 456' })
      .expect(404);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401); // sessions ended
    await login(u.email, 'reset password 123').expect(200);

    // An expired link answers 410.
    await t.http().post('/api/v1/auth/password/forgot').send({ email: u.email }).expect(202);
    const expired = mailbox.linkTo(u.email, '/reset-password');
    await t.owner.query(
      `UPDATE email_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL AND user_id = $1`,
      [u.userId],
    );
    const late = await t
      .http()
      .post('/api/v1/auth/password/reset')
      .send({ token: expired, password: 'reset password 789' })
      .expect(410);
    expect(late.body.code).toBe('link_expired');
  });

  it('slows down and then refuses repeated failures with 429 and Retry-After, auditing each failure', async () => {
    const u = await signUp(t);
    for (let i = 0; i < 4; i++) await login(u.email, 'wrong password', '198.51.100.2').expect(401);
    const locked = await login(u.email, 'wrong password', '198.51.100.2').expect(429);
    expect(locked.body.code).toBe('sign_in_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits for the address's lockout to pass.
    await login(u.email, PASSWORD, '198.51.100.2').expect(429);
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'auth.login_failed'`,
      [u.organizationId],
    );
    expect(rows[0].n).toBe(4);
  });
});

describe('e-mail verification (on when SMTP is configured, or forced)', () => {
  let t: TestApp;
  let mailbox: ReturnType<typeof recordMails>;
  beforeAll(async () => {
    t = await bootTestApp({ env: { AUTH_EMAIL_VERIFICATION: 'on' } });
    mailbox = recordMails(t.app);
  });
  afterAll(() => t?.close());

  it('refuses sign-in until the e-mail is verified with the mailed token', async () => {
    const email = `verify-${Date.now()}@example.com`;
    await t.http().post('/api/v1/auth/signup').send({ email, password: PASSWORD, name: 'Vera' }).expect(201);
    const refused = await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(403);
    expect(refused.body.code).toBe('email_not_verified');
    const token = mailbox.linkTo(email, '/verify-email');
    await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(204);
    await t.http().post('/api/v1/auth/verify-email').send({ token }).expect(410);
    await t.http().post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
  });
});
