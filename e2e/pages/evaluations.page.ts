import { Locator, Page } from '@playwright/test';

/** The Evaluate tab of a prompt's page (features/evaluations). */
export class EvaluationsPanel {
  readonly tab: Locator;
  readonly evaluate: Locator;
  readonly empty: Locator;
  readonly history: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByRole('tab', { name: 'Evaluate' });
    this.evaluate = page.getByRole('button', { name: 'Evaluate' });
    this.empty = page.getByRole('heading', { name: 'No evaluations yet' });
    this.history = page.getByRole('list', { name: 'Evaluations over time' });
  }

  /** The evaluation shown in full. */
  evaluation(version: number): Locator {
    return this.page.getByRole('article', { name: `Evaluation of version ${version}` });
  }

  score(metric: string): Locator {
    return this.page.getByRole('meter', { name: metric });
  }
}
