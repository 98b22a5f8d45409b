import { expect, Locator, Page } from '@playwright/test';

/** The console frame every page shares: toolbar, navigation, theme toggle. */
export class ShellPage {
  readonly toolbar: Locator;
  readonly navigation: Locator;
  readonly themeToggle: Locator;
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.toolbar = page.getByRole('banner');
    this.navigation = page.getByRole('navigation', { name: 'Main navigation' });
    this.themeToggle = page.getByRole('button', { name: 'Dark theme' });
    this.main = page.getByRole('main');
  }

  async goto(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.toolbar).toBeVisible();
  }

  navLink(name: string): Locator {
    return this.navigation.getByRole('link', { name });
  }

  /** The scheme the page actually renders with (what ThemeService sets on <html>). */
  async colorScheme(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
  }
}
