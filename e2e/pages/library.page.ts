import { expect, Locator, Page } from '@playwright/test';

/** The library list: filters, bulk actions and the prompts. */
export class LibraryPage {
  readonly heading: Locator;
  readonly newPrompt: Locator;
  readonly prompts: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Library', level: 1 });
    this.newPrompt = page.getByRole('link', { name: 'New prompt' });
    this.prompts = page.getByRole('list', { name: 'Prompts' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.heading).toBeVisible();
  }

  promptLink(title: string): Locator {
    return this.prompts.getByRole('link', { name: title, exact: true });
  }
}
