import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { WebhookDeliverer } from '../src/modules/webhooks/webhook-deliverer';
import { JobQueue } from '../src/queue/job-queue';
import { JobSlots } from '../src/queue/job-slots';
import { QueueName } from '../src/queue/queue.constants';
import { auth, bootTestApp, signUp, SignedUpUser, TestApp, usingRealPostgres } from './support/test-app';
import { waitFor } from './support/wait';

/** Slow jobs queued at once: more than the pool (4 here) can hold, as after a large import. */
const JOBS = 16;
/** How long each job holds its connection. */
const JOB_SECONDS = 2;
/** A request that waits for a connection behind the jobs takes seconds; one that gets one at once, milliseconds. */
const REQUEST_BUDGET_MS = 1000;

// The pool and its acquire timeout are PostgreSQL's (PGlite has one connection, a queue by design).
(usingRealPostgres ? describe : describe.skip)('jobs and requests sharing the database pool', () => {
  let t: TestApp;
  let user: SignedUpUser;

  beforeAll(async () => {
    t = await bootTestApp(); // pool of 4 → 2 job slots by default
    user = await signUp(t);
  });
  afterAll(() => t?.close());

  it('a backlog of slow jobs runs within JOB_CONCURRENCY and requests still answer at once', async () => {
    const slots = t.app.get(JobSlots);
    expect(slots.limit).toBe(2);
    const transactions = t.app.get(TenantTransactions);
    let running = 0;
    let mostAtOnce = 0;
    let done = 0;
    // Each webhook job holds a connection for JOB_SECONDS (the deliverer is what the processor calls).
    jest.spyOn(t.app.get(WebhookDeliverer), 'attempt').mockImplementation(async (organizationId) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await transactions.run({ organizationId, userId: null }, (em) =>
          em.query(`SELECT pg_sleep(${JOB_SECONDS})`),
        );
      } finally {
        running--;
        done++;
      }
    });
    const queue = t.app.get(JobQueue);
    for (let i = 0; i < JOBS; i++)
      await queue.add(QueueName.Webhooks, 'deliver', {
        organizationId: user.organizationId,
        deliveryId: `slow-${i}`,
      });
    await waitFor('the jobs to start', () => running >= slots.limit);

    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const res = await t.http().get('/api/v1/prompts').set(auth(user));
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(REQUEST_BUDGET_MS);
    }
    // The jobs are not dropped: they go on, two at a time.
    await waitFor('two rounds of jobs', () => done >= 2 * slots.limit, 4 * JOB_SECONDS * 1000);
    expect(mostAtOnce).toBe(slots.limit);
  }, 20_000);
});
