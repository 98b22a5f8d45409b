import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Whether the committed OpenAPI document has a route (e.g. `POST /usage` before analytics merged). */
export function documented(path: string, method: 'get' | 'post'): boolean {
  const doc = JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return doc.paths[`/api/v1${path}`]?.[method] !== undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The built API (`dist/backend/main.js`, from `npm run build:backend`) as a real process on a free
 * port, on the embedded database in a fresh DATA_DIR, with the inline queue.
 */
export class RunningServer {
  private child: ChildProcess | undefined;
  private output = '';
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly baseUrl: string,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<RunningServer> {
    const main = join(ROOT, 'dist/backend/main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build:backend" first`);
    const port = await freePort();
    const server = new RunningServer(`http://127.0.0.1:${port}`, mkdtempSync(join(tmpdir(), 'pv-sdk-')));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'ELASTICSEARCH_URL', 'SMTP_URL', 'NODE_ENV'])
      delete env[name];
    Object.assign(env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: server.baseUrl,
      DATA_DIR: server.dataDir,
      LOG_LEVEL: 'warn',
    });
    const child = spawn(process.execPath, [main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.child = child;
    server.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => (server.output = (server.output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`the server exited (${child.exitCode}):\n${server.output}`);
      try {
        const res = await fetch(`${server.baseUrl}/api/v1/health`);
        if (res.ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await server.stop();
    throw new Error(`the server did not become healthy within 180 s:\n${server.output}`);
  }

  /** Stops the process (the data stays until `cleanup`). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  async cleanup(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A JSON request as a signed-in user; throws unless the status is the expected one. */
  async call<T>(
    method: string,
    path: string,
    init: { token?: string; organizationId?: string; body?: unknown; expect?: number } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token) headers['authorization'] = `Bearer ${init.token}`;
    if (init.organizationId) headers['x-organization-id'] = init.organizationId;
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    const expected = init.expect ?? (method === 'POST' ? 201 : 200);
    if (res.status !== expected)
      throw new Error(`${method} ${path}: ${res.status} (expected ${expected}) ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
