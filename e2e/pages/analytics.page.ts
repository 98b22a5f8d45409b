import { expect, Locator, Page } from '@playwright/test';

/** The analytics dashboard (`/analytics`, OWNER and ADMIN): range, totals, charts with tables, reports. */
export class AnalyticsPage {
  readonly heading: Locator;
  readonly totals: Locator;
  readonly exportCsv: Locator;
  readonly exportPdf: Locator;
  readonly range: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Analytics', level: 1 });
    this.totals = page.getByRole('list', { name: 'Totals for the period' });
    this.exportCsv = page.getByRole('button', { name: 'Export CSV' });
    this.exportPdf = page.getByRole('button', { name: 'Export PDF' });
    this.range = page.getByRole('radiogroup', { name: 'Date range' });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/analytics${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** One totals card ("Runs", "Cost", …): its label, value and change. */
  card(label: string): Locator {
    return this.totals.getByRole('listitem').filter({ hasText: new RegExp(`^\\s*${label}`) });
  }

  /** A range preset ("Last 7 days", "Last month", …). */
  async chooseRange(label: string): Promise<void> {
    await this.range.getByRole('radio', { name: label }).click();
  }

  /** A dashboard panel by its heading ("Usage over time", "Top prompts", …). */
  panel(heading: string | RegExp): Locator {
    return this.page
      .locator('pv-chart-panel')
      .filter({ has: this.page.getByRole('heading', { name: heading }) });
  }

  /** Shows a panel's numbers as a table (the charts' accessible alternative) and returns that table. */
  async asTable(heading: string | RegExp): Promise<Locator> {
    const panel = this.panel(heading);
    await panel.getByRole('radio', { name: 'Table' }).click();
    return panel.getByRole('table');
  }
}
