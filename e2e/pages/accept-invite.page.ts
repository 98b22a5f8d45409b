import { expect, Locator, Page } from '@playwright/test';

export class AcceptInvitePage {
  readonly heading: Locator;
  readonly accept: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: /^Join /, level: 1 });
    this.accept = page.getByRole('button', { name: 'Accept invitation' });
  }

  /** Opens the invitation link on this test server (the link carries the server's PUBLIC_URL). */
  async open(inviteUrl: string): Promise<void> {
    const url = new URL(inviteUrl);
    await this.page.goto(`${url.pathname}${url.search}`);
    await expect(this.heading).toBeVisible();
  }
}
