import { expect, Locator, Page } from '@playwright/test';

/** Keycloak's own login form (the `prompt-vault` realm's SAML IdP). */
export class KeycloakLoginPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.username = page.locator('#username');
    this.password = page.locator('#password');
    this.submit = page.locator('#kc-login');
  }

  async signIn(keycloakUrl: string, username: string, password: string): Promise<void> {
    await expect(this.page).toHaveURL((url) => url.href.startsWith(`${keycloakUrl}/realms/prompt-vault/`));
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
