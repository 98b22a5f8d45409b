import { RATE_LIMIT_BACKOFF_MS, rateLimitWaitMs, TestRunner } from './test-runner';

describe('rateLimitWaitMs', () => {
  it('waits the Retry-After seconds when they are longer than the backoff', () => {
    expect(rateLimitWaitMs('7', 1)).toBe(7000);
    expect(rateLimitWaitMs('2.5', 1)).toBe(2500);
  });

  it('waits at least the doubling backoff', () => {
    expect(rateLimitWaitMs('1', 1)).toBe(RATE_LIMIT_BACKOFF_MS);
    expect(rateLimitWaitMs('1', 2)).toBe(RATE_LIMIT_BACKOFF_MS * 2);
    expect(rateLimitWaitMs('1', 3)).toBe(RATE_LIMIT_BACKOFF_MS * 4);
  });

  it('falls back to the backoff without a usable Retry-After', () => {
    for (const header of [undefined, '', 'soon', '0', '-3']) expect(rateLimitWaitMs(header, 2)).toBe(2000);
  });
});

describe('TestRunner.run when a pair fails', () => {
  const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
  const cases = ['a', 'b', 'c', 'd'].map((id) => ({ id, name: id, variables: {}, assertions: [] }));
  const claimed = {
    id: 'run',
    organization_id: 'org',
    prompt_id: 'p',
    claims: 1,
    created_by: 'u',
    models: ['m'],
    cases,
    snapshot: { version: 1, content: 'x', variables: [], metadata: {} },
  };

  /**
   * The runner over collaborators that record what reaches the database: pair `a`'s call fails (as
   * a deadlock of its STORE does) while `b` and `c` are still in flight.
   */
  function runner() {
    const events: string[] = [];
    const testRuns = {
      claim: async () => claimed,
      donePairs: async () => new Set<string>(),
      addResult: async (r: { testCaseId: string }) => void events.push(`result ${r.testCaseId}`),
      release: async () => void events.push('release'),
      finish: async () => void events.push('finish'),
    };
    const playground = {
      prepareSnapshotRun: async (_: unknown, p: { variables: unknown }) => p,
      execute: async (prepared: { variables: unknown }) => {
        const id = cases.find((c) => c.variables === prepared.variables)!.id;
        events.push(`call ${id}`);
        if (id === 'a') {
          await tick();
          throw new Error('deadlock detected');
        }
        await tick(20);
        return { run: { id: `run-${id}`, output: 'OK', costUsd: 0 } };
      },
    };
    const instance = new TestRunner(
      { run: (_: unknown, work: () => Promise<unknown>) => work() } as never,
      testRuns as never,
      playground as never,
      { members: async () => [{ userId: 'u', email: 'u@x', role: 'EDITOR' }] } as never,
      {} as never,
      { get: () => undefined } as never,
      { providerTimeoutMs: 1000 } as never,
      { assertWithinBudget: async () => undefined } as never,
    );
    return { instance, events };
  }

  it('starts no further pair, lets the ones in flight store their results, then releases the run', async () => {
    const { instance, events } = runner();
    await expect(instance.run('org', 'run')).rejects.toThrow('deadlock detected');
    // The release is the job's last write: a result stored after it would extend the lease again
    // and keep the queue's retry (and the sweeper) out until the lease ran out.
    expect(events).toEqual(['call a', 'call b', 'call c', 'result b', 'result c', 'release']);
  });
});
