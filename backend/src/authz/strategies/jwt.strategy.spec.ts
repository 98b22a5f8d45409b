import type { Request } from 'express';
import { JwtService } from '@nestjs/jwt';
import { Strategy } from 'passport-jwt';
import type { AppConfig } from '../../config/app-config';
import type { Credentials } from '../credentials';
import { JwtStrategy } from './jwt.strategy';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
const USER = '0b5c7e0e-7f3a-4c8e-9a53-6f1d2a3b4c5d';

const signer = new JwtService();
const sign = (claims: object, secret = SECRET) =>
  signer.sign(
    { sub: USER, email: 'a@example.com', sid: 'family-1', ...claims },
    { secret, algorithm: 'HS256' },
  );

const request = (token: string) =>
  ({
    header: (name: string) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined),
  }) as Request;

/** Runs the strategy the way passport does: a per-request object with success/fail/error. */
function authenticate(strategy: JwtStrategy, token: string): Promise<Credentials | 'refused'> {
  return new Promise((resolve, reject) => {
    const run = Object.create(strategy) as JwtStrategy & Record<string, unknown>;
    run.success = (user: Credentials) => resolve(user);
    run.fail = () => resolve('refused');
    run.error = (err: Error) => reject(err);
    run.authenticate(request(token));
  });
}

describe('JwtStrategy', () => {
  const verifier = Strategy as unknown as { JwtVerifier: (...args: unknown[]) => void };
  const original = verifier.JwtVerifier;
  let verifications = 0;
  let strategy: JwtStrategy;

  beforeEach(() => {
    verifications = 0;
    verifier.JwtVerifier = (...args: unknown[]) => {
      verifications++;
      original(...args);
    };
    strategy = new JwtStrategy({ jwtSecret: SECRET } as AppConfig);
  });
  afterEach(() => {
    verifier.JwtVerifier = original;
    jest.useRealTimers();
  });

  it('verifies a token once and answers it again from memory', async () => {
    const token = sign({ exp: Math.floor(Date.now() / 1000) + 600 });
    const first = await authenticate(strategy, token);
    const second = await authenticate(strategy, token);
    expect(first).toEqual({
      kind: 'token',
      principal: {
        userId: USER,
        email: 'a@example.com',
        sessionId: 'family-1',
        apiKey: null,
        organizationScope: null,
      },
    });
    expect(second).toEqual(first);
    expect(verifications).toBe(1);
  });

  it('gives each request its own credentials object', async () => {
    const token = sign({ exp: Math.floor(Date.now() / 1000) + 600 });
    const first = (await authenticate(strategy, token)) as Extract<Credentials, { kind: 'token' }>;
    first.principal.userId = 'changed';
    const second = (await authenticate(strategy, token)) as Extract<Credentials, { kind: 'token' }>;
    expect(second.principal.userId).toBe(USER);
  });

  it('refuses a remembered token once it has expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-06T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const token = sign({ exp: Math.floor(Date.now() / 1000) + 60 });
    expect(await authenticate(strategy, token)).not.toBe('refused');
    jest.setSystemTime(new Date('2026-12-06T10:01:01Z'));
    expect(await authenticate(strategy, token)).toBe('refused');
    expect(verifications).toBe(2);
  });

  it('verifies any other token in full: another signature, a changed byte, an expired one', async () => {
    const good = sign({ exp: Math.floor(Date.now() / 1000) + 600 });
    expect(await authenticate(strategy, good)).not.toBe('refused');
    const [header, payload, signature] = good.split('.');
    const otherClaims = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        sub: '1b5c7e0e-7f3a-4c8e-9a53-6f1d2a3b4c5d',
      }),
    ).toString('base64url');
    expect(await authenticate(strategy, `${header}.${otherClaims}.${signature}`)).toBe('refused');
    expect(
      await authenticate(strategy, sign({ exp: Math.floor(Date.now() / 1000) + 600 }, `${SECRET}-other`)),
    ).toBe('refused');
    expect(await authenticate(strategy, sign({ exp: Math.floor(Date.now() / 1000) - 1 }))).toBe('refused');
    expect(verifications).toBe(4);
  });

  it('remembers only tokens that are valid credentials', async () => {
    const noSession = signer.sign(
      { sub: USER, email: 'a@example.com', exp: Math.floor(Date.now() / 1000) + 600 },
      { secret: SECRET, algorithm: 'HS256' },
    );
    expect(await authenticate(strategy, noSession)).toBe('refused');
    expect(await authenticate(strategy, noSession)).toBe('refused');
    expect(verifications).toBe(2);
  });
});
