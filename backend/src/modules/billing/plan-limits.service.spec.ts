import { AppConfig } from '../../config/app-config';
import { BillingException } from './billing.errors';
import type { BillingRepository, MemberCount } from './billing.repository';
import { PlanApiLimits } from './plan-api-limits';
import { type HistoryWindow, PlanLimitsService, versionVisible } from './plan-limits.service';
import type { PlanName } from './plans';
import { type BillingState, noSubscription } from './subscription-state';

const config = (defaultPlan: PlanName = 'free') =>
  ({ publicUrl: 'https://vault.example', billing: { defaultPlan, graceDays: 7 } }) as unknown as AppConfig;

/** A repository answering from memory, recording the locks taken. */
function fakeRepo(
  state: BillingState,
  usage: { prompts?: number; members?: MemberCount; owned?: BillingState[]; evaluations?: number },
) {
  const locks: string[] = [];
  const repo = {
    state: async () => state,
    lockState: async (id: string) => (locks.push(`org:${id}`), state),
    lockUser: async (id: string) => void locks.push(`user:${id}`),
    countPrompts: async () => usage.prompts ?? 0,
    countMembers: async () => usage.members ?? { members: 0, pendingInvites: 0 },
    ownedOrganizations: async () => usage.owned ?? [],
    countEvaluationsThisMonth: async () => usage.evaluations ?? 0,
  };
  return { repo: repo as unknown as BillingRepository, locks };
}

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BillingException);
  return err as BillingException;
};

describe('PlanLimitsService', () => {
  it('lets a prompt be created below the limit and refuses at it, with the contract extensions', async () => {
    const { repo, locks } = fakeRepo(noSubscription('org-1', 'free'), { prompts: 99 });
    const limits = new PlanLimitsService(repo, config());
    await limits.assertCanCreate('prompts', 'org-1');
    expect(locks).toEqual(['org:org-1']);

    const full = new PlanLimitsService(
      fakeRepo(noSubscription('org-1', 'free'), { prompts: 100 }).repo,
      config(),
    );
    const err = await refusal(full.assertCanCreate('prompts', 'org-1'));
    expect(err.code).toBe('plan_limit_reached');
    expect(err.status).toBe(403);
    expect(err.extensions).toEqual({
      limit: 'prompts',
      plan: 'free',
      max: 100,
      current: 100,
      upgradeUrl: 'https://vault.example/billing',
    });
    expect(err.message).toMatch(/Free plan allows 100 prompts/);
  });

  it('answers the prompt limit and usage for a view without locking the organization', async () => {
    const free = fakeRepo(noSubscription('o', 'free'), { prompts: 12 });
    expect(await new PlanLimitsService(free.repo, config()).promptUsage('o')).toEqual({
      max: 100,
      current: 12,
    });
    expect(free.locks).toEqual([]);
    const enterprise = fakeRepo(noSubscription('o', 'enterprise'), { prompts: 5000 });
    expect(await new PlanLimitsService(enterprise.repo, config()).promptUsage('o')).toEqual({
      max: null,
      current: 5000,
    });
  });

  it('counts pending invitations only when an invitation is sent', async () => {
    const members = { members: 4, pendingInvites: 1 };
    const limits = new PlanLimitsService(fakeRepo(noSubscription('o', 'free'), { members }).repo, config());
    await limits.assertCanCreate('members', 'o');
    const err = await refusal(limits.assertCanCreate('members', 'o', { pendingInvites: true }));
    expect(err.extensions).toMatchObject({ limit: 'members', max: 5, current: 5 });
  });

  it('applies the effective plan: a lapsed Pro subscription is held to Free limits', async () => {
    const lapsed = { ...noSubscription('o', 'pro'), status: 'canceled' as const };
    const err = await refusal(
      new PlanLimitsService(fakeRepo(lapsed, { prompts: 150 }).repo, config()).assertCanCreate(
        'prompts',
        'o',
      ),
    );
    expect(err.extensions).toMatchObject({ plan: 'free', max: 100, current: 150 });
    // Enterprise without custom limits is unlimited; with them, they apply.
    const enterprise = noSubscription('o', 'enterprise');
    await new PlanLimitsService(fakeRepo(enterprise, { prompts: 1e6 }).repo, config()).assertCanCreate(
      'prompts',
      'o',
    );
    const custom = { ...enterprise, customLimits: { prompts: 10 } };
    await refusal(
      new PlanLimitsService(fakeRepo(custom, { prompts: 10 }).repo, config()).assertCanCreate('prompts', 'o'),
    );
  });

  it('allows one owned organization on Free/Starter; Pro ones do not count; a Pro default is not limited', async () => {
    const ownedFree = [noSubscription('a', 'free'), noSubscription('b', 'pro')];
    const { repo, locks } = fakeRepo(noSubscription('x', 'free'), { owned: ownedFree });
    const err = await refusal(new PlanLimitsService(repo, config('free')).admitNewOrganization('user-1'));
    expect(err.extensions).toMatchObject({ limit: 'ownedOrganizations', plan: 'free', max: 1, current: 1 });
    expect(locks).toEqual(['user:user-1']);

    const onlyPro = fakeRepo(noSubscription('x', 'free'), { owned: [noSubscription('b', 'pro')] });
    expect(await new PlanLimitsService(onlyPro.repo, config('starter')).admitNewOrganization('u')).toBe(
      'starter',
    );
    const proDefault = fakeRepo(noSubscription('x', 'free'), { owned: ownedFree });
    expect(await new PlanLimitsService(proDefault.repo, config('pro')).admitNewOrganization('u')).toBe('pro');
    expect(proDefault.locks).toEqual([]);
  });

  it('refuses evaluations on plans without them and past the monthly allowance', async () => {
    const free = new PlanLimitsService(fakeRepo(noSubscription('o', 'free'), {}).repo, config());
    const err = await refusal(free.assertCanEvaluate('o'));
    expect(err.extensions).toMatchObject({ limit: 'evaluations', max: 0, current: 0 });
    const starter = new PlanLimitsService(fakeRepo(noSubscription('o', 'starter'), {}).repo, config());
    expect((await refusal(starter.assertCanEvaluate('o'))).extensions).toMatchObject({ plan: 'starter' });
    const at249 = fakeRepo(noSubscription('o', 'pro'), { evaluations: 249 });
    await new PlanLimitsService(at249.repo, config()).assertCanEvaluate('o');
    expect(at249.locks).toEqual(['org:o']);
    const at250 = new PlanLimitsService(
      fakeRepo(noSubscription('o', 'pro'), { evaluations: 250 }).repo,
      config(),
    );
    expect((await refusal(at250.assertCanEvaluate('o'))).extensions).toMatchObject({
      max: 250,
      current: 250,
    });
    const enterprise = fakeRepo(noSubscription('o', 'enterprise'), { evaluations: 100_000 });
    await new PlanLimitsService(enterprise.repo, config()).assertCanEvaluate('o');
  });

  it('describes the history window of each plan', async () => {
    const now = new Date('2026-12-05T00:00:00Z');
    const free = await new PlanLimitsService(
      fakeRepo(noSubscription('o', 'free'), {}).repo,
      config(),
    ).historyWindow('o', now);
    expect(free).toEqual({ plan: 'free', versions: 3, days: null, since: null });
    const starter = await new PlanLimitsService(
      fakeRepo(noSubscription('o', 'starter'), {}).repo,
      config(),
    ).historyWindow('o', now);
    expect(starter.since).toEqual(new Date('2026-11-05T00:00:00Z'));
  });
});

describe('versionVisible', () => {
  const at = (iso: string) => new Date(iso);
  const free: HistoryWindow = { plan: 'free', versions: 3, days: null, since: null };
  const starter: HistoryWindow = {
    plan: 'starter',
    versions: null,
    days: 30,
    since: at('2026-11-05T00:00:00Z'),
  };
  const pro: HistoryWindow = { plan: 'pro', versions: null, days: null, since: null };

  it('shows the last 3 on Free, the last 30 days on Starter, all on Pro, and the current one always', () => {
    const old = at('2020-01-01T00:00:00Z');
    expect([1, 2, 3, 4, 5].map((version) => versionVisible(free, 5, { version, createdAt: old }))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(versionVisible(starter, 5, { version: 4, createdAt: old })).toBe(false);
    expect(versionVisible(starter, 5, { version: 4, createdAt: at('2026-11-06T00:00:00Z') })).toBe(true);
    expect(versionVisible(starter, 5, { version: 5, createdAt: old })).toBe(true);
    expect(versionVisible(pro, 5, { version: 1, createdAt: old })).toBe(true);
  });
});

describe('PlanApiLimits', () => {
  const options = { throttlers: [{ name: 'api-key', limit: 50, ttl: 60_000 }] };
  const limits = new PlanApiLimits(options, config());
  const key = (billing: BillingState | null) => ({ id: 'k', organizationId: 'o', billing });

  it('gives each key the operator allowance and the organization its plan allowance', async () => {
    const free = await limits.resolve(key(noSubscription('o', 'free')));
    expect(free.key).toEqual({ limit: 50, ttlMs: 60_000 });
    expect(free.organization).toMatchObject({ limit: 1000, ttlMs: 3_600_000 });
    expect(free.organization?.extensions).toMatchObject({ limit: 'apiRequests', plan: 'free', max: 1000 });
    const pro = await limits.resolve(key(noSubscription('o', 'pro')));
    expect(pro.organization).toMatchObject({ limit: 10_000, ttlMs: 86_400_000 });
    expect((await limits.resolve(key(noSubscription('o', 'enterprise')))).organization).toBeNull();
    const custom = {
      ...noSubscription('o', 'enterprise'),
      customLimits: { apiRequests: { limit: 7, windowSeconds: 60 } },
    };
    expect((await limits.resolve(key(custom))).organization).toMatchObject({ limit: 7, ttlMs: 60_000 });
    // Unknown state: the default plan's allowance.
    expect((await limits.resolve(key(null))).organization).toMatchObject({ limit: 1000 });
  });
});
