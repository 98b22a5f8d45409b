import { AddressInfo } from 'node:net';
import { reportFigures, statusSummary } from './support/fault-figures';
import { hasPostgresServer, PrivatePostgres } from './support/postgres-server';
import { bootTestApp, SignedUpUser, signUp, TestApp, usingRealPostgres } from './support/test-app';
import { sleep, waitFor } from './support/wait';

/**
 * Faults of the database under load, on a private PostgreSQL 15 cluster this file starts, crashes
 * and restarts (never the shared server). The embedded run has no server process to restart.
 */
const skipReason = !usingRealPostgres
  ? 'runs with DATABASE_URL only (the embedded PGlite has no server process to crash and restart)'
  : !hasPostgresServer()
    ? 'needs the PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin or PG_BIN_DIR)'
    : undefined;
if (skipReason) console.warn(`Fault suite (PostgreSQL restart under load): SKIPPED, ${skipReason}`);

/** No request may take longer than this, outage or not (the pool's connect timeout is 5 s). */
const REQUEST_BOUND_MS = 8000;

interface Answer {
  kind: 'write' | 'read';
  status: number;
  ms: number;
  at: number;
  id?: string;
  title?: string;
  problem?: { code?: string; status?: number };
  contentType?: string;
  retryAfter?: string | null;
}

(skipReason ? describe.skip : describe)('fault: PostgreSQL crash and restart under load', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let user: SignedUpUser;
  let base: string;

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    t = await bootTestApp({
      // Enterprise (no prompt limit): the writers create prompts for as long as the fault lasts.
      env: { DEFAULT_PLAN: 'enterprise', STATUS_PAGE_PUBLIC: 'true' },
      // The private cluster's own database; the cluster is removed in afterAll.
      database: { url: pg.url, driver: 'postgres', drop: async () => undefined },
    });
    // The test's own pool (owner) loses its idle connection with every stop, like the app's.
    t.owner.on('error', () => undefined);
    user = await signUp(t, 'Fault Tester');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/api/v1`;
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await pg?.destroy();
  }, 60_000);

  const headers = () => ({
    Authorization: `Bearer ${user.token}`,
    'X-Organization-Id': user.organizationId,
    'Content-Type': 'application/json',
  });

  /** One request with a hard client deadline: a hang shows as status 0, not as a stuck test. */
  async function send(kind: Answer['kind'], n: number): Promise<Answer> {
    const started = Date.now();
    const title = `fault write ${n} ${started}`;
    try {
      const res = await fetch(
        kind === 'write' ? `${base}/prompts` : `${base}/prompts?limit=5`,
        kind === 'write'
          ? {
              method: 'POST',
              headers: headers(),
              body: JSON.stringify({ title, content: `written under load #${n}` }),
              signal: AbortSignal.timeout(REQUEST_BOUND_MS),
            }
          : { headers: headers(), signal: AbortSignal.timeout(REQUEST_BOUND_MS) },
      );
      const body = (await res.json().catch(() => ({}))) as { id?: string; code?: string; status?: number };
      return {
        kind,
        status: res.status,
        ms: Date.now() - started,
        at: started,
        title,
        id: res.status === 201 ? body.id : undefined,
        problem: res.status >= 400 ? body : undefined,
        contentType: res.headers.get('content-type') ?? undefined,
        retryAfter: res.headers.get('retry-after'),
      };
    } catch {
      return { kind, status: 0, ms: Date.now() - started, at: started, title };
    }
  }

  /** `clients` loops sending writes and reads alternately until `stop()` is called. */
  function load(clients: number) {
    const answers: Answer[] = [];
    let running = true;
    let n = 0;
    const loops = Array.from({ length: clients }, async (_, c) => {
      while (running) {
        const answer = await send(c % 2 === 0 ? 'write' : 'read', n++);
        answers.push(answer);
        // An outage answers at once: do not spin, as a client honouring Retry-After would not.
        if (answer.status >= 500) await sleep(50);
      }
    });
    return {
      answers,
      stop: async () => {
        running = false;
        await Promise.all(loops);
        return answers;
      },
    };
  }

  const health = async () => {
    const res = await fetch(`${base}/health/details`, { signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
    return { status: res.status, body: (await res.json()) as Record<string, Record<string, unknown>> };
  };

  for (const mode of ['immediate', 'fast'] as const) {
    const label = mode === 'immediate' ? 'pg-crash' : 'pg-restart';
    it(`${mode === 'immediate' ? 'a crash (-m immediate)' : 'a restart (-m fast)'}: 503 problems during the outage, recovery without a restart of the app, no acknowledged write lost`, async () => {
      expect((await health()).status).toBe(200);
      const traffic = load(6);
      await sleep(1000);

      const downAt = Date.now();
      await pg.stop(mode);
      await sleep(300);
      const whileDown = await health();
      await sleep(1200);
      const upAt = Date.now();
      await pg.start();
      // The pool reconnects by itself: the first success after the server is back.
      const recoveredAt: number = await waitFor(
        'a successful request after the database returned',
        () => traffic.answers.find((a) => a.at >= upAt && a.status >= 200 && a.status < 300)?.at ?? 0,
        15_000,
      );
      await sleep(1000);
      const answers = await traffic.stop();
      const healthAfter = await health();

      // Health says what happened: down while the server was, up once it is back.
      expect(whileDown.status).toBe(503);
      expect(whileDown.body.error.database).toMatchObject({ status: 'down', driver: 'postgres' });
      expect(healthAfter.status).toBe(200);
      expect(healthAfter.body.details.database).toMatchObject({ status: 'up' });

      const during = answers.filter((a) => a.at >= downAt && a.at < upAt);
      const failures = answers.filter((a) => a.status >= 500 || a.status === 0);
      // Never a 500 and never a hang; every failure is a 503 problem saying when to retry.
      expect(answers.filter((a) => a.status === 500 || a.status === 0)).toEqual([]);
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) {
        expect(f).toMatchObject({
          status: 503,
          contentType: expect.stringContaining('application/problem+json'),
          problem: { code: 'unavailable', status: 503 },
          retryAfter: expect.stringMatching(/^\d+$/),
        });
      }
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(REQUEST_BOUND_MS);
      // Anything else is a 2xx (nothing else was asked).
      expect(answers.filter((a) => a.status < 500 && (a.status < 200 || a.status >= 300))).toEqual([]);

      // Every acknowledged write is in the database, once.
      const acknowledged = answers.filter((a) => a.kind === 'write' && a.status === 201);
      const { rows } = await t.owner.query<{ id: string }>(
        `SELECT id FROM prompts WHERE id = ANY($1::uuid[])`,
        [acknowledged.map((a) => a.id)],
      );
      expect(rows.length).toBe(acknowledged.length);

      const outage = ((upAt - downAt) / 1000).toFixed(1);
      const slowest = Math.max(...answers.map((a) => a.ms));
      reportFigures(
        `fault ${label}: ${during.length} requests during ${outage} s outage (${answers.length} in all, 6 clients): ` +
          `${statusSummary(answers.map((a) => a.status))}; slowest answer ${slowest} ms; ` +
          `recovered in ${((recoveredAt - upAt) / 1000).toFixed(1)} s after the server was back; ` +
          `${rows.length}/${acknowledged.length} acknowledged writes present; health 503 while down, 200 after`,
      );
    }, 60_000);
  }
});
