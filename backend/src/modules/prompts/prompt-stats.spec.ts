import type { EntityManager } from 'typeorm';
import type { TenantScope, TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { PromptStats } from './prompt-stats';

const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';
const P1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const P2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

/** A fake whose UPDATE succeeds, fails, or (`hold`) waits until `commit()` is called. */
function fakeTransactions(mode: 'ok' | 'fail' | 'hold' = 'ok') {
  const calls: Array<{ scope: TenantScope; params: unknown[] }> = [];
  const held: Array<() => void> = [];
  const transactions = {
    run: async (scope: TenantScope, work: (em: EntityManager) => Promise<unknown>) =>
      work({
        query: (_sql: string, params: unknown[]) => {
          if (mode === 'fail') return Promise.reject(new Error('database down'));
          calls.push({ scope, params });
          return mode === 'hold' ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve([]);
        },
      } as unknown as EntityManager),
  } as unknown as TenantTransactions;
  return { transactions, calls, commit: () => held.splice(0).forEach((resolve) => resolve()) };
}

describe('PromptStats', () => {
  it('adds pending counts per prompt and writes them in one statement per organization', async () => {
    const { transactions, calls } = fakeTransactions();
    const stats = new PromptStats(transactions);
    stats.countView(ORG_A, P1);
    stats.countView(ORG_A, P1);
    stats.countUse(ORG_A, P2);
    stats.countView(ORG_B, P1);
    expect(stats.pendingFor(ORG_A, P1)).toEqual({ views: 2, uses: 0 });
    await stats.flush();
    expect(calls).toEqual([
      {
        scope: { organizationId: ORG_A, userId: null, system: true },
        params: [ORG_A, [P1, P2], [2, 0], [0, 1]],
      },
      { scope: { organizationId: ORG_B, userId: null, system: true }, params: [ORG_B, [P1], [1], [0]] },
    ]);
    expect(stats.pendingFor(ORG_A, P1)).toEqual({ views: 0, uses: 0 });
    await stats.flush();
    expect(calls).toHaveLength(2);
  });

  it('keeps the counts for the next round when writing fails', async () => {
    const failing = fakeTransactions('fail');
    const stats = new PromptStats(failing.transactions);
    stats.countView(ORG_A, P1);
    await stats.flush();
    stats.countView(ORG_A, P1);
    expect(stats.pendingFor(ORG_A, P1)).toEqual({ views: 2, uses: 0 });
  });

  it('still counts what is being written until the UPDATE is done, so a read during a flush misses nothing', async () => {
    const { transactions, calls, commit } = fakeTransactions('hold');
    const stats = new PromptStats(transactions);
    stats.countView(ORG_A, P1);
    const flushing = stats.flush();
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c.params)).toEqual([[ORG_A, [P1], [1], [0]]]);
    // The row does not have this view yet: it is still pending, and a new view adds to it.
    expect(stats.pendingFor(ORG_A, P1)).toEqual({ views: 1, uses: 0 });
    stats.countView(ORG_A, P1);
    expect(stats.pendingFor(ORG_A, P1)).toEqual({ views: 2, uses: 0 });
    commit();
    await flushing;
    expect(stats.pendingFor(ORG_A, P1)).toEqual({ views: 1, uses: 0 });
  });
});
