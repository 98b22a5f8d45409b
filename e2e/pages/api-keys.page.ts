import { expect, Locator, Page } from '@playwright/test';

export class ApiKeysPage {
  readonly heading: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'API keys', level: 1 });
    this.table = page.getByRole('table', { name: 'API keys' });
  }

  /** Creates a key and returns it from the copy-once dialog. */
  async create(name: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const field = dialog.getByRole('textbox', { name: 'API key' });
    await expect(field).not.toHaveValue('');
    const key = await field.inputValue();
    await dialog.getByRole('button', { name: 'I have copied the key' }).click();
    await expect(dialog).toBeHidden();
    return key;
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ hasText: name });
  }
}
