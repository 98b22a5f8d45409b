import { expect, Locator, Page } from '@playwright/test';

export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';

/** A role's option: the role name, then its one-line description. */
const roleOption = (role: string) => new RegExp(`^\\s*${role}\\b`);

export class MembersPage {
  readonly heading: Locator;
  readonly members: Locator;
  readonly invites: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Members', level: 1 });
    this.members = page.getByRole('table', { name: 'Members' });
    this.invites = page.getByRole('table', { name: 'Pending invitations' });
    this.alert = page.getByRole('main').getByRole('alert');
  }

  async goto(): Promise<void> {
    await this.page.goto('/organization/members');
    await expect(this.heading).toBeVisible();
  }

  memberRow(text: string): Locator {
    return this.members.getByRole('row').filter({ hasText: text });
  }

  /** Sends an invitation and returns the link the dialog shows. */
  async invite(email: string, role: Role): Promise<string> {
    await this.page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Invite member' });
    await dialog.getByLabel('E-mail', { exact: true }).fill(email);
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await this.page.getByRole('option', { name: roleOption(role) }).click();
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const link = dialog.getByRole('textbox', { name: 'Invitation link' });
    await expect(link).toHaveValue(/\/invites\/accept\?token=/);
    const inviteUrl = await link.inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();
    return inviteUrl;
  }

  roleSelect(memberName: string): Locator {
    return this.page.getByRole('combobox', { name: `Role of ${memberName}` });
  }

  async changeRole(memberName: string, role: Role): Promise<void> {
    await this.roleSelect(memberName).click();
    await this.page.getByRole('option', { name: roleOption(role) }).click();
  }
}
