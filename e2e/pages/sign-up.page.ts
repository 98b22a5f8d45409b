import { expect, Locator, Page } from '@playwright/test';
import { SeededUser } from './identity.api';

export class SignUpPage {
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Create your account', level: 1 });
  }

  async goto(): Promise<void> {
    await this.page.goto('/sign-up');
    await expect(this.heading).toBeVisible();
  }

  async signUp(user: SeededUser): Promise<void> {
    await expect(this.heading).toBeVisible();
    await this.page.getByLabel('Name', { exact: true }).fill(user.name);
    await this.page.getByLabel('E-mail', { exact: true }).fill(user.email);
    await this.page.getByLabel('Password', { exact: true }).fill(user.password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
  }

  /** Signs up from an invitation: the e-mail is the invited one, prefilled and read-only. */
  async signUpInvited(user: SeededUser): Promise<void> {
    await expect(this.heading).toBeVisible();
    const email = this.page.getByLabel('E-mail', { exact: true });
    await expect(email).toHaveValue(user.email);
    await expect(email).not.toBeEditable();
    await expect(this.page.getByLabel('Organization name')).toHaveCount(0);
    await this.page.getByLabel('Name', { exact: true }).fill(user.name);
    await this.page.getByLabel('Password', { exact: true }).fill(user.password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
  }
}
