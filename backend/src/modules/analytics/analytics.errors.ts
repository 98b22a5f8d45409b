import { defineErrors } from '../../common/errors/domain.exception';

/** Usage analytics and budgets (API-CONTRACT.md, "Usage and analytics"; docs/analytics.md). */
export class AnalyticsException extends defineErrors('analytics', {
  /**
   * The organization's monthly budget is spent and its hard stop is on: runs, comparisons, test
   * runs and evaluations are refused until the next month or a higher budget. Carries `spentUsd`
   * and `monthlyLimitUsd`.
   */
  budget_exceeded: { status: 403, title: 'The monthly budget is spent' },
}) {}
