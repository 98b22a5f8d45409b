import { expect, Locator, Page } from '@playwright/test';

/** The audit log (`/audit`, OWNER and ADMIN): filters, events, integrity check, exports. */
export class AuditPage {
  readonly heading: Locator;
  readonly verify: Locator;
  readonly exportCsv: Locator;
  readonly exportJsonl: Locator;
  readonly filters: Locator;
  readonly events: Locator;
  readonly verdict: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Audit log', level: 1 });
    this.verify = page.getByRole('button', { name: 'Verify integrity' });
    this.exportCsv = page.getByRole('button', { name: 'Export CSV' });
    this.exportJsonl = page.getByRole('button', { name: 'Export JSON Lines' });
    this.filters = page.getByRole('form', { name: 'Filter audit events' });
    this.events = page.getByRole('region', { name: 'Audit events' }).getByRole('row');
    this.verdict = page.getByRole('status').filter({ hasText: /Intact|Broken/ });
  }

  async goto(): Promise<void> {
    await this.page.goto('/audit');
    await expect(this.heading).toBeVisible();
  }

  /** The action filter (an input with suggestions: a combobox). */
  async filterByAction(action: string): Promise<void> {
    await this.filters.getByRole('combobox', { name: 'Action' }).fill(action);
    await this.filters.getByRole('button', { name: 'Apply filters' }).click();
  }

  /** The action cells' texts of the listed events. */
  actions(): Promise<string[]> {
    return this.page
      .getByRole('region', { name: 'Audit events' })
      .getByRole('button', { name: /^Details of / })
      .allInnerTexts();
  }
}
