import { expect, Locator, Page } from '@playwright/test';

/** The toolbar search box, the `/search` results page and its saved-searches menu. */
export class SearchPage {
  readonly box: Locator;
  readonly results: Locator;
  readonly count: Locator;
  readonly filters: Locator;
  readonly savedSearches: Locator;

  constructor(readonly page: Page) {
    this.box = page.getByRole('banner').getByRole('combobox', { name: 'Search prompts' });
    this.results = page.getByRole('list', { name: 'Search results' });
    this.count = page.getByRole('main').getByRole('status');
    this.filters = page.getByRole('complementary', { name: 'Filters' });
    this.savedSearches = page.getByRole('button', { name: 'Saved searches' });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/search${query}`);
    await expect(this.page.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible();
  }

  /** An option of the box's dropdown (instant hits, "See all results", recent searches). */
  option(name: string | RegExp): Locator {
    return this.page.getByRole('listbox').getByRole('option', { name });
  }

  result(title: string | RegExp): Locator {
    return this.results.getByRole('listitem').filter({ has: this.page.getByRole('link', { name: title }) });
  }

  facet(name: string | RegExp): Locator {
    return this.filters.getByRole('checkbox', { name });
  }

  removeChip(label: string): Locator {
    return this.page.getByRole('button', { name: `Remove filter ${label}` });
  }

  menuItem(name: string | RegExp): Locator {
    return this.page.getByRole('menuitem', { name });
  }
}
