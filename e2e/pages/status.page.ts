import { Locator, Page } from '@playwright/test';

export class StatusPage {
  readonly heading: Locator;
  readonly checks: Locator;
  readonly summary: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'System status', level: 1 });
    this.checks = page.getByRole('list', { name: 'Health checks' });
    this.summary = page.getByRole('status');
  }

  check(name: string): Locator {
    return this.checks.getByRole('listitem', { name });
  }

  checkStatus(name: string): Locator {
    return this.check(name).getByTestId('check-status');
  }
}
