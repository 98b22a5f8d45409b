import type { Request, Response } from 'express';
import { loadConfig } from '../../config/app-config';
import { RefreshCookie } from './refresh-cookie';

const config = (env: Record<string, string>) =>
  loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'unit-test-secret-that-is-long-enough-to-pass',
    DATA_DIR: '/tmp',
    ...env,
  });

const request = (headers: Record<string, string>) =>
  ({
    protocol: 'http',
    host: 'api.internal:3000',
    header: (name: string) => headers[name.toLowerCase()],
  }) as unknown as Request;

function setCookies(cookie: RefreshCookie): Array<{ options: Record<string, unknown> }> {
  const calls: Array<{ options: Record<string, unknown> }> = [];
  const res = {
    cookie: (_n: string, _v: string, options: Record<string, unknown>) => calls.push({ options }),
  };
  cookie.deliver(request({ 'x-session-mode': 'cookie' }), res as unknown as Response, {
    accessToken: 'a',
    refreshToken: 'r'.repeat(43),
    expiresIn: 900,
  });
  return calls;
}

describe('RefreshCookie', () => {
  it('is Secure unless the console is served from loopback over http', () => {
    const secure = (publicUrl: string) =>
      setCookies(new RefreshCookie(config({ PUBLIC_URL: publicUrl }))).map((c) => c.options.secure);
    expect(secure('http://localhost:3000')).toEqual([false, false]);
    expect(secure('http://127.0.0.1:3000')).toEqual([false, false]);
    expect(secure('https://vault.example.com')).toEqual([true, true]);
    expect(secure('http://vault.example.com')).toEqual([true, true]);
  });

  it('accepts its own origin, CORS origins and the origin the request was addressed to; refuses others', () => {
    const cookie = new RefreshCookie(
      config({ PUBLIC_URL: 'https://vault.example.com', CORS_ORIGINS: 'https://console.example.com' }),
    );
    const from = (origin?: string) => () =>
      cookie.requested(request({ 'x-session-mode': 'cookie', ...(origin ? { origin } : {}) }));
    expect(from('https://vault.example.com')()).toBe(true);
    expect(from('https://console.example.com')()).toBe(true);
    expect(from('http://api.internal:3000')()).toBe(true);
    expect(from()()).toBe(true); // no Origin: not a browser's cross-site request
    expect(from('https://evil.example')).toThrow(expect.objectContaining({ code: 'origin_not_allowed' }));
    expect(cookie.requested(request({ origin: 'https://evil.example' }))).toBe(false); // not cookie mode
  });
});
