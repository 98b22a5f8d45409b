import { expect, Locator, Page } from '@playwright/test';

/** A prompt's page with its tabs (overview, versions, labels, test cases, comments, activity). */
export class PromptPage {
  readonly heading: Locator;
  readonly edit: Locator;
  readonly delete: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.edit = page.getByRole('link', { name: 'Edit' });
    this.delete = page.getByRole('button', { name: 'Delete' });
  }

  async goto(id: string): Promise<void> {
    await this.page.goto(`/prompts/${id}`);
    await expect(this.heading).toBeVisible();
  }

  tab(
    name: 'Overview' | 'Versions' | 'Labels' | 'Evaluate' | 'Test cases' | 'Comments' | 'Activity',
  ): Locator {
    return this.page.getByRole('tab', { name });
  }

  badge(text: string): Locator {
    return this.page.locator('.badges').getByText(text, { exact: true });
  }

  // Versions tab
  async selectOption(label: string, option: RegExp | string): Promise<void> {
    await this.page.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option }).click();
  }

  versionsTable(): Locator {
    return this.page.getByRole('table', { name: 'Versions' });
  }

  diff(from: number, to: number): Locator {
    return this.page.getByRole('region', { name: `Changes from version ${from} to version ${to}` });
  }

  // Labels tab
  readonly promote = (): Locator => this.page.getByRole('button', { name: 'Promote', exact: true });
  readonly labels = (): Locator => this.page.getByRole('list', { name: 'Labels' });
  readonly labelHistory = (): Locator => this.page.getByRole('list', { name: 'Label history' });
}
