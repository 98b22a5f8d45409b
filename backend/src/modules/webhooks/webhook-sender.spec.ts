import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sendWebhook, urlProblem } from './webhook-sender';

describe('sendWebhook', () => {
  let server: Server;
  let base: string;
  let answer: (res: import('node:http').ServerResponse) => void;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('posts and keeps the first 1 KB of the answer', async () => {
    answer = (res) => res.writeHead(200).end('x'.repeat(5000));
    const r = await sendWebhook(`${base}/a`, {}, '{}', { allowPrivate: true, timeoutMs: 1000 });
    expect(r).toMatchObject({ ok: true, status: 200, error: null });
    expect(r.excerpt).toHaveLength(1024);
  });

  it('fails a 3xx without following it, and times out', async () => {
    answer = (res) => res.writeHead(302, { location: `${base}/b` }).end();
    expect(await sendWebhook(`${base}/a`, {}, '{}', { allowPrivate: true, timeoutMs: 1000 })).toMatchObject({
      ok: false,
      status: 302,
    });
    answer = (res) => setTimeout(() => res.writeHead(200).end(), 800);
    const slow = await sendWebhook(`${base}/a`, {}, '{}', { allowPrivate: true, timeoutMs: 200 });
    expect(slow).toMatchObject({ ok: false, status: null, error: 'No complete response within 200 ms' });
  });

  it('refuses private addresses unless allowed, literal or resolved', async () => {
    answer = (res) => res.writeHead(200).end();
    for (const url of [`${base}/a`, base.replace('127.0.0.1', 'localhost')]) {
      const r = await sendWebhook(url, {}, '{}', { allowPrivate: false, timeoutMs: 1000 });
      expect(r).toMatchObject({ ok: false, status: null });
      expect(r.error).toMatch(/private address/);
      expect(await urlProblem(url, false)).toMatch(/private address/);
      expect(await urlProblem(url, true)).toBeUndefined();
    }
    expect(await urlProblem('ftp://example.com/', true)).toMatch(/http/);
  });
});
