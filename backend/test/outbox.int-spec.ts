import { AuditModule } from '../src/modules/audit/audit.module';
import { OutboxConsumers, OutboxMessage } from '../src/modules/outbox/outbox-consumers';
import { OutboxModule } from '../src/modules/outbox/outbox.module';
import { OUTBOX_PRUNE_CHUNK, OutboxPruner } from '../src/modules/outbox/outbox-pruner';
import { ProbeController } from './support/probe.controller';
import { hasRedisServer, PrivateRedis } from './support/redis-server';
import {
  auth,
  bootTestApp,
  redisUrl,
  signUp,
  SignedUpUser,
  TestApp,
  usingRealPostgres,
} from './support/test-app';
import { sleep, waitFor } from './support/wait';

/** A consumer that records what reached it and can be told to fail a few times first. */
class RecordingConsumer {
  readonly name = 'recording';
  readonly seen: OutboxMessage[] = [];
  failuresLeft = 0;
  handles(type: string) {
    return type === 'probe.changed';
  }
  async handle(message: OutboxMessage) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('consumer is temporarily unavailable');
    }
    this.seen.push(message);
  }
  markers() {
    return this.seen.map((m) => m.aggregateId);
  }
}

async function bootWithConsumer(env: Record<string, string> = {}) {
  const t = await bootTestApp({
    // The probe writes audit and outbox rows; the test app imports what it injects.
    imports: [AuditModule, OutboxModule],
    controllers: [ProbeController],
    env: { QUEUE_BACKOFF_MS: '50', OUTBOX_SWEEP_INTERVAL_MS: '300', ...env },
  });
  const consumer = new RecordingConsumer();
  t.app.get(OutboxConsumers).register(consumer);
  return { t, consumer };
}

const probe = (t: TestApp, u: SignedUpUser, marker: string, fail = false) =>
  t.http().post('/api/v1/test-probe').set(auth(u)).send({ marker, fail });

/**
 * A consumer sees a message inside the drain's transaction, before the row is marked processed
 * and committed; wait for the committed row, not for the consumer, before reading it.
 */
type OutboxRowState = { processed_at: Date; attempts: number; last_error: string | null };
const processedRow = async (t: TestApp, marker: string): Promise<OutboxRowState> => {
  const row = await waitFor(`outbox row ${marker} marked processed`, async () => {
    const { rows } = await t.owner.query(
      `SELECT processed_at, attempts, last_error FROM outbox_events
        WHERE aggregate_id = $1 AND processed_at IS NOT NULL`,
      [marker],
    );
    return rows[0] as OutboxRowState | undefined;
  });
  return row!;
};

describe(`outbox (${redisUrl ? 'BullMQ on REDIS_URL' : 'inline queue'})`, () => {
  let t: TestApp;
  let consumer: RecordingConsumer;
  let u: SignedUpUser;
  beforeAll(async () => {
    ({ t, consumer } = await bootWithConsumer());
    u = await signUp(t);
  });
  afterAll(() => t?.close());

  it('delivers a committed change to consumers and marks the row processed', async () => {
    await probe(t, u, 'committed-1').expect(201);
    await waitFor('delivery', () => consumer.markers().includes('committed-1'));
    const msg = consumer.seen.find((m) => m.aggregateId === 'committed-1')!;
    expect(msg).toMatchObject({
      organizationId: u.organizationId,
      type: 'probe.changed',
      payload: { marker: 'committed-1' },
    });
    const row = await processedRow(t, 'committed-1');
    expect(row.processed_at).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);
  });

  it('never delivers a rolled-back change', async () => {
    await probe(t, u, 'rolled-back', true).expect(409);
    await probe(t, u, 'after-rollback').expect(201);
    await waitFor('the later change', () => consumer.markers().includes('after-rollback'));
    await sleep(700); // two sweep intervals
    expect(consumer.markers()).not.toContain('rolled-back');
    const { rows } = await t.owner.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = 'rolled-back'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('retries a failing consumer with backoff and records the error, in order', async () => {
    consumer.failuresLeft = 2;
    await probe(t, u, 'flaky-1').expect(201);
    await probe(t, u, 'flaky-2').expect(201);
    await waitFor('delivery after retries', () => consumer.markers().includes('flaky-2'));
    const markers = consumer.markers();
    expect(markers.indexOf('flaky-1')).toBeLessThan(markers.indexOf('flaky-2'));
    const row = await processedRow(t, 'flaky-1');
    expect({ attempts: row.attempts, last_error: row.last_error }).toEqual({
      attempts: 3,
      last_error: 'consumer is temporarily unavailable',
    });
  });

  it('delivers rows in the order they were written when their clock times tie', async () => {
    // Two inserts of one transaction can read the same clock_timestamp() (PGlite's tick is
    // coarse); the random id must not decide between them. Here the later row has the lower id.
    await t.owner.query(
      `INSERT INTO outbox_events (id, organization_id, type, aggregate_type, aggregate_id, created_at)
       VALUES ('ffffffff-ffff-4fff-bfff-ffffffffffff', $1, 'probe.changed', 'probe', 'tie-1', $2),
              ('00000000-0000-4000-8000-000000000000', $1, 'probe.changed', 'probe', 'tie-2', $2)`,
      [u.organizationId, new Date(Date.now() - 1000)],
    );
    await probe(t, u, 'after-tie').expect(201);
    await waitFor('the nudged drain', () => consumer.markers().includes('after-tie'));
    const markers = consumer.markers().filter((m) => ['tie-1', 'tie-2', 'after-tie'].includes(m));
    expect(markers).toEqual(['tie-1', 'tie-2', 'after-tie']);
  });

  it('deletes delivered rows past OUTBOX_RETENTION_DAYS, in chunks, and keeps the others', async () => {
    const day = 24 * 3600 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const insert = (marker: string, type: string, processedAt: Date | null, createdAt = ago(30), count = 1) =>
      t.owner.query(
        `INSERT INTO outbox_events (organization_id, type, aggregate_type, aggregate_id, created_at, processed_at)
         SELECT $1, $2, 'probe', $3, $4, $5 FROM generate_series(1, $6)`,
        [u.organizationId, type, marker, createdAt, processedAt, count],
      );
    // More old delivered rows than one chunk, so that pruning takes two transactions.
    await insert('prune-old', 'probe.changed', ago(8), ago(30), OUTBOX_PRUNE_CHUNK + 50);
    await insert('prune-recent', 'probe.changed', ago(6), ago(6));
    await insert('prune-deleted', 'prompt.deleted', ago(30));
    await insert('prune-pending', 'nobody.listens', null);
    const count = async (marker: string) =>
      (await t.owner.query(`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1`, [marker]))
        .rows[0].n as number;

    const deleted = await t.app.get(OutboxPruner).prune();

    expect(deleted).toBeGreaterThanOrEqual(OUTBOX_PRUNE_CHUNK + 50);
    expect(await count('prune-old')).toBe(0);
    expect(await count('prune-recent')).toBe(1);
    expect(await count('prune-deleted')).toBe(1);
    // Undelivered rows stay whatever their age (the sweeper may have delivered it meanwhile:
    // then it was delivered just now, which is inside the retention too).
    expect(await count('prune-pending')).toBe(1);
    // Nothing delivered within the retention was touched: the first test's row is still there.
    expect(await count('committed-1')).toBe(1);
    expect(await t.app.get(OutboxPruner).prune()).toBe(0);
  });
});

const redisAvailable = hasRedisServer();
if (!redisAvailable) console.warn('SKIPPED: outbox over BullMQ needs a redis-server binary on this machine');

(redisAvailable ? describe : describe.skip)('outbox over BullMQ while Redis goes down and comes back', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let consumer: RecordingConsumer;
  let u: SignedUpUser;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    ({ t, consumer } = await bootWithConsumer({ REDIS_URL: redis.url }));
    u = await signUp(t);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('uses BullMQ and delivers while Redis is up', async () => {
    const health = await t.http().get('/api/v1/health/details').set(auth(u)).expect(200);
    expect(health.body.details.queue).toMatchObject({ status: 'up', driver: 'bullmq' });
    await probe(t, u, 'redis-up').expect(201);
    await waitFor('delivery through BullMQ', () => consumer.markers().includes('redis-up'));
  });

  // Two processes on one database: PGlite serves a single session, so this needs PostgreSQL.
  (usingRealPostgres ? it : it.skip)(
    'leaves the jobs of an API process with WORKERS=off to the processes that run workers',
    async () => {
      // A second process on the same database and Redis that only produces, as `main.ts` runs with WORKERS=off.
      const api = await bootTestApp({
        imports: [AuditModule, OutboxModule],
        controllers: [ProbeController],
        runWorkers: false,
        database: t.database,
        keepDatabase: true,
        env: { REDIS_URL: redis.url, QUEUE_PREFIX: t.config.queuePrefix, OUTBOX_SWEEP_INTERVAL_MS: '300' },
      });
      const apiConsumer = new RecordingConsumer();
      api.app.get(OutboxConsumers).register(apiConsumer);
      try {
        for (const marker of ['from-api-1', 'from-api-2', 'from-api-3'])
          await probe(api, u, marker).expect(201);
        await waitFor('delivery by the worker process', () =>
          ['from-api-1', 'from-api-2', 'from-api-3'].every((m) => consumer.markers().includes(m)),
        );
        expect(apiConsumer.markers()).toEqual([]);
      } finally {
        await api.close();
      }
    },
  );

  it('commits a change while Redis is down and delivers it once Redis is back', async () => {
    await redis.stop();
    const publicProbe = (await t.http().get('/api/v1/health').expect(503)).body;
    expect(publicProbe).toMatchObject({ status: 'error', error: { queue: { status: 'down' } } });
    expect(JSON.stringify(publicProbe)).not.toContain('bullmq'); // the probe names no driver
    const health = await t.http().get('/api/v1/health/details').set(auth(u)).expect(503);
    expect(health.body.error.queue).toMatchObject({ status: 'down', driver: 'bullmq' });

    await probe(t, u, 'while-down').expect(201);
    const pending = await t.owner.query(
      `SELECT processed_at FROM outbox_events WHERE aggregate_id = 'while-down'`,
    );
    expect(pending.rows).toEqual([{ processed_at: null }]);
    await sleep(500);
    expect(consumer.markers()).not.toContain('while-down');

    await redis.start();
    await waitFor('delivery after Redis returned', () => consumer.markers().includes('while-down'), 30_000);
    // The row is marked processed once the drain's transaction commits, just after the delivery.
    const processedAt = await waitFor('the row marked processed', async () => {
      const { rows } = await t.owner.query(
        `SELECT processed_at FROM outbox_events WHERE aggregate_id = 'while-down'`,
      );
      return rows[0].processed_at as Date | null;
    });
    expect(processedAt).toBeInstanceOf(Date);
  });
});
