import { FailureCounters } from '../src/common/security/failure-counters';
import { hasRedisServer, PrivateRedis } from './support/redis-server';
import { bootTestApp, signUp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const PASSWORD = 'correct horse battery';

describe('sign-in limits: strict per address, a slowdown (never a lockout) per account', () => {
  let t: TestApp;
  let address = 0;
  /** A fresh client address (the app trusts X-Forwarded-For, as behind a proxy). */
  const newAddress = () => `203.0.113.${++address}`;
  beforeAll(async () => {
    t = await bootTestApp({
      env: {
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES: '4',
        LOGIN_LOCKOUT_SECONDS: '600',
        // Long enough that "the next attempt" surely falls inside the window on a slow machine.
        LOGIN_SLOWDOWN_SECONDS: '120',
        LOGIN_SLOWDOWN_MAX_SECONDS: '600',
      },
    });
  });
  afterAll(() => t?.close());

  const login = (email: string, from: string, password = PASSWORD) =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('ten wrong passwords from one address lock that address out, not the account', async () => {
    const u = await signUp(t);
    const attacker = newAddress();
    for (let i = 0; i < 4; i++) await login(u.email, attacker, 'wrong password').expect(401);
    const refused = await login(u.email, attacker, 'wrong password').expect(429);
    expect(refused.body.code).toBe('sign_in_locked');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await login(u.email, attacker).expect(429); // the address stays locked, even with the right password
    // Its other targets are refused from there too: the limit is the address's.
    const other = await signUp(t);
    await login(other.email, attacker).expect(429);

    // The owner, from an address that has not failed, signs in.
    const owner = await login(u.email, newAddress()).expect(200);
    expect(owner.body.accessToken).toEqual(expect.any(String));
  });

  it('failures from many addresses slow the account down with Retry-After; the right password clears it', async () => {
    const u = await signUp(t);
    // Each address stays under its own limit.
    for (let i = 0; i < 4; i++) await login(u.email, newAddress(), 'wrong password').expect(401);
    // Past the limit the account takes one attempt per delay: this one opens the window...
    await login(u.email, newAddress(), 'wrong password').expect(401);
    // ...and the next, from anywhere, waits for it to pass.
    const slowed = await login(u.email, newAddress()).expect(429);
    expect(slowed.body.code).toBe('sign_in_locked');
    const retryAfter = Number(slowed.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);

    // Once the window has passed the right password gets in and the slowdown ends. Waiting
    // 120 s is not a test: end the window as its expiry would.
    await expireGate(u.email);
    await login(u.email, newAddress()).expect(200);
    await login(u.email, newAddress(), 'wrong password').expect(401);
    await login(u.email, newAddress()).expect(200); // no delay left after the success
  });

  /** Ends the account's current slowdown window, as if its time had passed. */
  async function expireGate(email: string): Promise<void> {
    await t.app.get(FailureCounters).reset(`login:gate:${email}`);
  }
});

// While Redis is down the counters fall back to this process's memory: limits hold instead of
// switching off. A private Redis, so the test can stop it.
(hasRedisServer() ? describe : describe.skip)('sign-in limits while Redis is down', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    t = await bootTestApp({
      env: {
        REDIS_URL: redis.url,
        TRUST_PROXY: 'true',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_LOCKOUT_SECONDS: '600',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('an address is still refused after its failures, and the owner still gets in from elsewhere', async () => {
    const u = await signUp(t);
    await redis.stop();
    try {
      const login = (from: string, password = 'wrong password') =>
        t.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email: u.email, password });
      for (let i = 0; i < 3; i++) await login('192.0.2.10').expect(401);
      const refused = await login('192.0.2.10').expect(429);
      expect(refused.body.code).toBe('sign_in_locked');
      await login('192.0.2.11', PASSWORD).expect(200);
    } finally {
      await redis.start();
      // Closing the app while its BullMQ connections are still reconnecting can wait inside BullMQ
      // for a long time (docs/architecture.md, "Background work"): let the queue come back first.
      await waitFor(
        'the queue to be back',
        async () => (await t.http().get('/api/v1/health')).status === 200,
        30_000,
      );
    }
  });
});
