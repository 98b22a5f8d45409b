import { expect, Locator, Page } from '@playwright/test';

/** The toolbar's organization menu and its "Create organization" dialog. */
export class OrganizationSwitcherPage {
  readonly trigger: Locator;

  constructor(readonly page: Page) {
    this.trigger = page.getByRole('banner').getByRole('button', { name: /^Organization: / });
  }

  async expectCurrent(name: string): Promise<void> {
    await expect(this.trigger).toHaveAccessibleName(`Organization: ${name}. Switch organization`);
  }

  async createOrganization(name: string): Promise<void> {
    await this.trigger.click();
    await this.page.getByRole('menuitem', { name: 'Create organization' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Create organization' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
  }
}
