import { expect, test } from '@playwright/test';
import { NotFoundPage } from '../pages/not-found.page';
import { ShellPage } from '../pages/shell.page';
import { SignInPage } from '../pages/sign-in.page';
import { StatusPage } from '../pages/status.page';
import { seedOwner } from '../support/library-seed';

test.describe('console shell', () => {
  test('a signed-out visit to / lands on sign-in inside the shell and comes back after signing in', async ({
    page,
    request,
  }) => {
    const shell = new ShellPage(page);
    await shell.goto('/');

    const signIn = new SignInPage(page);
    await expect(page).toHaveURL(/\/sign-in\?returnUrl=%2F$/);
    await expect(page).toHaveTitle('Sign in · Prompt Vault');
    await expect(signIn.heading).toBeVisible();
    await expect(shell.toolbar).toContainText('Prompt Vault');
    await expect(shell.navLink('Library')).toBeVisible();
    await expect(shell.navLink('System status')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your prompt library is empty' })).toHaveCount(0);

    const owner = await seedOwner(request);
    await signIn.signIn(owner.email, owner.password);
    await expect(page).toHaveURL(/\/$/);
    await expect(page).toHaveTitle('Library · Prompt Vault');
    await expect(shell.navLink('Library')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { name: 'Your prompt library is empty' })).toBeVisible();
  });

  test('loading the console breaks no Content Security Policy rule', async ({ page, request }) => {
    // A `<link media="print" onload>` (inlined critical CSS) or any other inline handler or script
    // is refused by the server's CSP (script-src 'self') and logged on every page load.
    const violations: string[] = [];
    const errors: string[] = [];
    await page.exposeFunction('pvReportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { pvReportViolation(text: string): void }).pvReportViolation(
          `${event.violatedDirective}: ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
        ),
      );
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    const response = await page.goto('/sign-in');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    const owner = await seedOwner(request);
    await new SignInPage(page).signIn(owner.email, owner.password);
    await expect(page.getByRole('heading', { name: 'Your prompt library is empty' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Your prompt library is empty' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('the theme toggle switches between light and dark and remembers the choice', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const shell = new ShellPage(page);
    await shell.goto('/');

    await expect(shell.themeToggle).toHaveAttribute('aria-pressed', 'false');
    expect(await shell.colorScheme()).toBe('light');
    const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    await shell.themeToggle.click();
    await expect(shell.themeToggle).toHaveAttribute('aria-pressed', 'true');
    expect(await shell.colorScheme()).toBe('dark');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBackground).not.toBe(lightBackground);

    await page.reload();
    await expect(shell.themeToggle).toHaveAttribute('aria-pressed', 'true');
    expect(await shell.colorScheme()).toBe('dark');

    await shell.themeToggle.click();
    await expect(shell.themeToggle).toHaveAttribute('aria-pressed', 'false');
    expect(await shell.colorScheme()).toBe('light');
  });

  test('the System status page asks to sign in, then shows the database check as up', async ({
    page,
    request,
  }) => {
    const shell = new ShellPage(page);
    await shell.goto('/');
    await shell.navLink('System status').click();

    // STATUS_PAGE_PUBLIC is not set: the detailed report is for signed-in users.
    const status = new StatusPage(page);
    await expect(page).toHaveURL(/\/status$/);
    await expect(status.heading).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sign in to see the system status' })).toBeVisible();
    await expect(status.checks).toHaveCount(0);

    const owner = await seedOwner(request);
    await page.getByRole('main').getByRole('link', { name: 'Sign in', exact: true }).click();
    await new SignInPage(page).signIn(owner.email, owner.password);
    await expect(page).toHaveURL(/\/status$/);
    await expect(status.checkStatus('Database')).toHaveText('up');
    await expect(status.check('Database')).toContainText('driver');
  });

  test('a deep link to an unknown page shows the not-found page', async ({ page }) => {
    const response = await page.goto('/some/unknown/page');
    expect(response?.status()).toBe(200);

    const notFound = new NotFoundPage(page);
    await expect(notFound.heading).toBeVisible();
    await expect(page.getByRole('main')).toContainText('/some/unknown/page');

    // The library needs a session: a signed-out visitor is asked to sign in first.
    await notFound.backHome.click();
    await expect(page).toHaveURL(/\/sign-in\?returnUrl=%2F$/);
    await expect(new SignInPage(page).heading).toBeVisible();
  });

  test('an unknown API path answers 404 problem+json, not the console', async ({ request }) => {
    const response = await request.get('/api/v1/nope');
    expect(response.status()).toBe(404);
    expect(response.headers()['content-type']).toContain('application/problem+json');
    const body = (await response.json()) as { status: number; title: string; instance: string };
    expect(body.status).toBe(404);
    expect(body.instance).toBe('/api/v1/nope');
    expect(typeof body.title).toBe('string');
  });
});
