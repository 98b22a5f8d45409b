import { defineErrors } from '../../common/errors/domain.exception';

/** Usage analytics and budgets (API-CONTRACT.md, "Usage and analytics"; docs/analytics.md). */
export class AnalyticsException extends defineErrors('analytics', {
  /**
   * A monthly budget with its hard stop on is spent: the organization's, or that of the run
   * prompt's collection or one of its ancestors. Runs, comparisons, test runs and evaluations are
   * refused until the next month or a higher budget. Carries `spentUsd` and `monthlyLimitUsd`, and
   * for a collection's budget `collectionId` and `collectionName` (also named in `detail`).
   */
  budget_exceeded: { status: 403, title: 'The monthly budget is spent' },
}) {}
