import { APIRequestContext, Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import {
  expectNoClippedControls,
  expectNoHorizontalScroll,
  expectNoSeriousA11yViolations,
} from '../support/a11y';
import {
  SeededPrompt,
  SeededSession,
  seedMember,
  seedOwner,
  seedPrompt,
  signInBrowser,
} from '../support/library-seed';

/**
 * Every console page, as a first-time user meets it, in three modes: axe finds no serious or
 * critical WCAG 2.1 A/AA violation, and on a phone-sized screen nothing scrolls sideways and no
 * control is cut off.
 */

interface Mode {
  name: string;
  viewport: { width: number; height: number };
  colorScheme: 'light' | 'dark';
  /** Also check that no page scrolls sideways and that no control is cut off. */
  narrow: boolean;
}

const MODES: Mode[] = [
  { name: 'desktop light', viewport: { width: 1280, height: 800 }, colorScheme: 'light', narrow: false },
  { name: 'desktop dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark', narrow: false },
  { name: 'mobile', viewport: { width: 360, height: 740 }, colorScheme: 'light', narrow: true },
];

interface Seeded {
  owner: SeededSession;
  viewer: SeededSession;
  greeting: SeededPrompt;
  inviteToken: string;
}

function headers(session: SeededSession) {
  return { authorization: `Bearer ${session.accessToken}`, 'x-organization-id': session.organizationId };
}

async function expectStatus(response: { status(): number; text(): Promise<string> }, status: number) {
  expect(response.status(), await response.text()).toBe(status);
}

/** An organization with something on every page: prompts with versions and labels, a collection, a member, an API key, an invite. */
async function seed(request: APIRequestContext): Promise<Seeded> {
  const owner = await seedOwner(request, 'A11y owner');
  const greeting = await seedPrompt(request, owner, {
    title: 'Greeting reply',
    description: 'Answers a customer greeting',
    content: 'Hello {{name}}, thanks for writing.',
    tags: ['support', 'greeting'],
  });
  await seedPrompt(request, owner, {
    title: 'Summarize meeting notes',
    description: 'Turns a transcript into decisions',
    content: 'Summarize these notes as decisions and action items: {{notes}}',
    tags: ['writing'],
  });
  await seedPrompt(request, owner, {
    title: 'Translate release notes',
    content: 'Translate the release notes into {{language}}: {{notes}}',
  });
  await expectStatus(
    await request.patch(`/api/v1/prompts/${greeting.id}`, {
      headers: headers(owner),
      data: { content: 'Hello {{name}}, thanks for writing to us about {{topic}}.', status: 'published' },
    }),
    200,
  );
  await expectStatus(
    await request.put(`/api/v1/prompts/${greeting.id}/labels/production`, {
      headers: headers(owner),
      data: { version: 2 },
    }),
    200,
  );
  await expectStatus(
    await request.post('/api/v1/collections', {
      headers: headers(owner),
      data: { name: 'Support', description: 'Replies to customers' },
    }),
    201,
  );
  await expectStatus(
    await request.post(`/api/v1/organizations/${owner.organizationId}/api-keys`, {
      headers: headers(owner),
      data: { name: 'Production app' },
    }),
    201,
  );
  const viewer = await seedMember(request, owner, 'VIEWER');
  const invite = await request.post(`/api/v1/organizations/${owner.organizationId}/invites`, {
    headers: headers(owner),
    data: { email: `invitee-${Date.now()}@a11y.e2e.example.com`, role: 'EDITOR' },
  });
  await expectStatus(invite, 201);
  const { inviteUrl } = (await invite.json()) as { inviteUrl: string };
  return { owner, viewer, greeting, inviteToken: new URL(inviteUrl).searchParams.get('token') ?? '' };
}

async function newContext(browser: Browser, mode: Mode): Promise<BrowserContext> {
  return browser.newContext({
    viewport: mode.viewport,
    colorScheme: mode.colorScheme,
    reducedMotion: 'reduce',
    isMobile: mode.narrow,
    hasTouch: mode.narrow,
  });
}

/** The page has rendered its content: its level-1 heading shows and nothing is loading any more. */
async function settle(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible({ timeout: 30_000 });
  await expect(
    page.locator('mat-progress-bar[mode="indeterminate"], mat-spinner, mat-progress-spinner'),
  ).toHaveCount(0);
}

/** Checks the page as it is now; failures are collected so one run names every broken page. */
async function check(page: Page, mode: Mode, label: string, failures: string[]): Promise<void> {
  const name = `${label} [${mode.name}]`;
  const checks = [() => expectNoSeriousA11yViolations(page, name)];
  if (mode.narrow) {
    checks.push(() => expectNoHorizontalScroll(page, name));
    checks.push(() => expectNoClippedControls(page, name));
  }
  for (const run of checks) {
    try {
      await run();
    } catch (error) {
      // Only the finding (not the diff expect adds); printed as found too, so a long run that
      // times out still names what it saw.
      const message = (error as Error).message.split('\n\nexpect(')[0];
      console.log(message);
      failures.push(message);
    }
  }
}

async function visit(page: Page, mode: Mode, path: string, failures: string[], label = path): Promise<void> {
  await page.goto(path);
  try {
    await settle(page);
  } catch (error) {
    const message = `${label} [${mode.name}] did not render: ${(error as Error).message.split('\n')[0]}`;
    console.log(message);
    failures.push(message);
    return;
  }
  await check(page, mode, label, failures);
}

const PROMPT_TABS = ['Overview', 'Versions', 'Labels', 'Evaluate', 'Test cases', 'Comments', 'Activity'];

/** The OWNER's pages, in groups small enough for one test each (the groups run in parallel). */
const OWNER_PAGES: Record<string, string[]> = {
  library: ['/', '/prompts/new', '/prompts/:id/edit', '/collections', '/search?q=greeting', '/templates'],
  organization: [
    '/organization/members',
    '/organization/settings',
    '/organization/tags',
    '/organization/categories',
    '/organization/sso',
    '/organization/api-keys',
  ],
  operations: ['/provider-keys', '/playground', '/analytics', '/analytics/budget', '/audit', '/activity'],
  account: ['/billing', '/webhooks', '/transfer', '/account', '/status', '/no/such/page'],
};

async function ownerPage(browser: Browser, mode: Mode, owner: SeededSession) {
  const context = await newContext(browser, mode);
  const page = await context.newPage();
  await signInBrowser(page, owner);
  return { context, page };
}

function report(failures: string[]): void {
  expect(failures, failures.join('\n\n')).toEqual([]);
}

for (const mode of MODES) {
  test.describe(`accessibility (${mode.name})`, () => {
    test('signed-out pages: sign-in, sign-up, password reset, an invite link', async ({
      browser,
      request,
    }) => {
      test.setTimeout(300_000);
      const { inviteToken } = await seed(request);
      const failures: string[] = [];
      const context = await newContext(browser, mode);
      const page = await context.newPage();
      for (const path of [
        '/sign-in',
        '/sign-up',
        '/forgot-password',
        `/invites/accept?token=${inviteToken}`,
      ]) {
        await visit(page, mode, path, failures, path.split('?')[0]);
      }
      await context.close();
      report(failures);
    });

    for (const [group, paths] of Object.entries(OWNER_PAGES)) {
      test(`${group} pages`, async ({ browser, request }) => {
        test.setTimeout(300_000);
        const { owner, greeting } = await seed(request);
        const failures: string[] = [];
        const { context, page } = await ownerPage(browser, mode, owner);
        for (const path of paths) {
          await visit(page, mode, path.replace(':id', greeting.id), failures, path);
        }
        await context.close();
        report(failures);
      });
    }

    test('the prompt page and each of its tabs', async ({ browser, request }) => {
      test.setTimeout(300_000);
      const { owner, greeting } = await seed(request);
      const failures: string[] = [];
      const { context, page } = await ownerPage(browser, mode, owner);
      await visit(page, mode, `/prompts/${greeting.id}`, failures, '/prompts/:id');
      for (const tab of PROMPT_TABS) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
        await settle(page);
        await check(page, mode, `/prompts/:id ${tab} tab`, failures);
        if (mode.narrow && tab === 'Versions') {
          // Each version's Revert shows on the screen, not past its edge in a sideways-scrolling table.
          const revert = (await page.getByRole('button', { name: 'Revert to version 1' }).boundingBox())!;
          if (revert.x + revert.width > mode.viewport.width) {
            failures.push(
              `Versions tab [${mode.name}]: Revert ends at ${Math.round(revert.x + revert.width)}px`,
            );
          }
          // Both sides of the diff are on the screen (it wraps its lines instead of running off the edge).
          await page.getByRole('button', { name: 'Compare' }).click();
          await expect(page.locator('table.diff').first()).toBeVisible();
          const diff = (await page.locator('table.diff').first().boundingBox())!;
          if (diff.x + diff.width > mode.viewport.width) {
            failures.push(
              `Versions tab [${mode.name}]: the diff ends at ${Math.round(diff.x + diff.width)}px`,
            );
          }
        }
      }
      await context.close();
      report(failures);
    });

    test('the shell: the navigation drawer and the toolbar menu, opened', async ({ browser, request }) => {
      test.setTimeout(120_000);
      const { owner } = await seed(request);
      const failures: string[] = [];
      const { context, page } = await ownerPage(browser, mode, owner);
      await page.goto('/');
      await settle(page);
      if (mode.narrow) {
        await page.getByRole('button', { name: 'Toggle navigation' }).click();
        const library = page
          .getByRole('navigation', { name: 'Main navigation' })
          .getByRole('link', { name: 'Library' });
        await expect(library).toBeVisible();
        // The drawer opens below the top bar: its first link is not hidden under the toolbar.
        const toolbar = (await page.getByRole('banner').boundingBox())!;
        const link = (await library.boundingBox())!;
        expect(link.y, 'the Library link is below the top bar').toBeGreaterThanOrEqual(
          toolbar.y + toolbar.height,
        );
        await check(page, mode, 'navigation drawer', failures);
        await page.keyboard.press('Escape');
        await expect(library).toBeHidden();
        // One menu holds the organization, the theme and the account.
        await page.getByRole('button', { name: /^Account: .*Organization and theme$/ }).click();
        await expect(page.getByRole('menuitemcheckbox', { name: 'Dark theme' })).toBeVisible();
        await expect(page.getByRole('menuitemradio', { name: /A11y owner/ })).toBeVisible();
      } else {
        await page.getByRole('button', { name: /^Account: / }).click();
      }
      await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeVisible();
      await check(page, mode, 'toolbar menu', failures);
      await context.close();
      report(failures);
    });

    test('the employee portal, as a VIEWER', async ({ browser, request }) => {
      test.setTimeout(300_000);
      const { viewer, greeting } = await seed(request);
      const failures: string[] = [];
      const context = await newContext(browser, mode);
      const page = await context.newPage();
      await signInBrowser(page, viewer);
      await visit(page, mode, '/portal', failures);
      await visit(page, mode, `/portal/prompts/${greeting.id}`, failures, '/portal/prompts/:id');
      await context.close();
      report(failures);
    });
  });
}
