import { Locator, Page } from '@playwright/test';

export class NotFoundPage {
  readonly heading: Locator;
  readonly backHome: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Page not found' });
    this.backHome = page.getByRole('link', { name: 'Back to the library' });
  }
}
