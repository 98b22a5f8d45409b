import { createServer } from 'node:net';
import IORedis from 'ioredis';
import { FailureCounters } from './failure-counters';
import { FallbackThrottlerStorage } from './throttler-storage';

/** A loopback port with nothing listening: every Redis command fails at once. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function unreachableRedis(): Promise<IORedis> {
  return new IORedis({
    host: '127.0.0.1',
    port: await closedPort(),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
}

const MINUTE = 60_000;

describe('FallbackThrottlerStorage', () => {
  it('counts in memory without Redis and blocks past the limit', async () => {
    const storage = new FallbackThrottlerStorage();
    for (let i = 1; i <= 3; i++) {
      expect(await storage.increment('k', MINUTE, 3, MINUTE, 'api-key')).toMatchObject({
        totalHits: i,
        isBlocked: false,
      });
    }
    const over = await storage.increment('k', MINUTE, 3, MINUTE, 'api-key');
    expect(over).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(over.timeToBlockExpire).toBeGreaterThan(0);
    // Another key has its own allowance.
    expect((await storage.increment('other', MINUTE, 3, MINUTE, 'api-key')).totalHits).toBe(1);
    storage.onApplicationShutdown();
  });

  it('keeps limiting in this process while Redis is unreachable, instead of letting everything through', async () => {
    const storage = new FallbackThrottlerStorage(await unreachableRedis());
    expect(storage.shared).toBe(true);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await storage.increment('k', MINUTE, 2, MINUTE, 'api-key'));
    expect(storage.shared).toBe(false);
    expect(answers.map((a) => a.isBlocked)).toEqual([false, false, true]);
    storage.onApplicationShutdown();
  });
});

describe('FailureCounters', () => {
  it('counts failures in a window, reads them without counting, and clears them', async () => {
    const counters = new FailureCounters();
    expect(await counters.peek('login:ip:1')).toEqual({ count: 0, resetInSeconds: 0 });
    await counters.hit('login:ip:1', 60);
    const second = await counters.hit('login:ip:1', 60);
    expect(second.count).toBe(2);
    expect(second.resetInSeconds).toBeGreaterThan(0);
    expect((await counters.peek('login:ip:1')).count).toBe(2);
    expect((await counters.peek('login:ip:1')).count).toBe(2);
    await counters.reset('login:ip:1');
    expect((await counters.peek('login:ip:1')).count).toBe(0);
  });

  it('keeps counting in this process while Redis is unreachable', async () => {
    const counters = new FailureCounters(await unreachableRedis());
    for (let i = 0; i < 3; i++) await counters.hit('login:email:a@example.com', 900);
    expect((await counters.peek('login:email:a@example.com')).count).toBe(3);
    await counters.reset('login:email:a@example.com');
    expect((await counters.peek('login:email:a@example.com')).count).toBe(0);
    counters.onApplicationShutdown();
  });
});
