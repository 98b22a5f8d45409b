import { PlanLimitReached } from '../../../core/http/plan-limit';
import { planTitle } from './plan-catalogue';

const count = (value: number) => value.toLocaleString('en-US');

const NOUNS: Record<string, string> = {
  members: 'members',
  prompts: 'prompts',
  apiRequests: 'API requests in the current window',
  evaluations: 'AI evaluations this month',
  ownedOrganizations: 'organizations you may own',
};

/**
 * One sentence naming the limit a `plan_limit_reached` problem reports, e.g. "Your organization
 * has 100 of 100 prompts on the Free plan." Built from the problem's members, never its wording.
 */
export function describePlanLimit({ limit, plan, max, current }: PlanLimitReached): string {
  const on = `on the ${planTitle(plan)} plan`;
  if (limit === 'evaluations' && max === 0) return `AI evaluations are not included ${on}.`;
  const noun = NOUNS[limit];
  if (!noun) return `Your organization has reached a limit of the ${planTitle(plan)} plan.`;
  if (limit === 'ownedOrganizations') {
    return max !== null && current !== null
      ? `You own ${count(current)} of ${count(max)} organizations allowed ${on}.`
      : `You own as many organizations as allowed ${on}.`;
  }
  if (max === null) return `Your organization has reached its limit of ${noun} ${on}.`;
  if (current === null) return `Your organization has reached its limit of ${count(max)} ${noun} ${on}.`;
  const verb = limit === 'apiRequests' || limit === 'evaluations' ? 'has used' : 'has';
  return `Your organization ${verb} ${count(current)} of ${count(max)} ${noun} ${on}.`;
}
