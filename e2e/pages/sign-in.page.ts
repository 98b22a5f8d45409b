import { expect, Locator, Page } from '@playwright/test';

export class SignInPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly next: Locator;
  readonly ssoButton: Locator;
  readonly organizationSlug: Locator;
  readonly continueButton: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in', level: 1 });
    this.email = page.getByLabel('E-mail', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Sign in', exact: true });
    this.next = page.getByRole('button', { name: 'Next', exact: true });
    this.ssoButton = page.getByRole('button', { name: 'Sign in with SSO' });
    this.organizationSlug = page.getByLabel('Organization slug', { exact: true });
    this.continueButton = page.getByRole('button', { name: 'Continue' });
    this.alert = page.getByRole('alert');
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/sign-in${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** E-mail first (an organization that requires SSO would take over here), then the password. */
  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.next.click();
    await this.password.fill(password);
    await this.submit.click();
  }
}
