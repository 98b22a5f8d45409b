import { describePlanLimit } from './plan-limit-text';

const reached = (limit: string, plan: string, max: number | null, current: number | null) => ({
  limit,
  plan,
  max,
  current,
  upgradeUrl: null,
});

describe('describePlanLimit', () => {
  it('names the limit, the figures and the plan', () => {
    expect(describePlanLimit(reached('prompts', 'free', 100, 100))).toBe(
      'Your organization has 100 of 100 prompts on the Free plan.',
    );
    expect(describePlanLimit(reached('members', 'starter', 10, 10))).toBe(
      'Your organization has 10 of 10 members on the Starter plan.',
    );
    expect(describePlanLimit(reached('evaluations', 'pro', 250, 250))).toBe(
      'Your organization has used 250 of 250 AI evaluations this month on the Pro plan.',
    );
    expect(describePlanLimit(reached('apiRequests', 'pro', 10000, 10000))).toBe(
      'Your organization has used 10,000 of 10,000 API requests in the current window on the Pro plan.',
    );
    expect(describePlanLimit(reached('ownedOrganizations', 'free', 1, 1))).toBe(
      'You own 1 of 1 organizations allowed on the Free plan.',
    );
  });

  it('says when a feature is not in the plan at all, or figures are missing', () => {
    expect(describePlanLimit(reached('evaluations', 'free', 0, 0))).toBe(
      'AI evaluations are not included on the Free plan.',
    );
    expect(describePlanLimit(reached('prompts', 'free', 100, null))).toBe(
      'Your organization has reached its limit of 100 prompts on the Free plan.',
    );
    expect(describePlanLimit(reached('seats', 'free', 3, 3))).toBe(
      'Your organization has reached a limit of the Free plan.',
    );
  });
});
