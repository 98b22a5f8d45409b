import { expect, Locator, Page, test } from '@playwright/test';
import { PromptEditorPage } from '../pages/prompt-editor.page';
import { SearchPage } from '../pages/search.page';
import { seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

/**
 * Keyboard-only journeys: no mouse anywhere, only Tab / Shift+Tab / Enter / Space / arrows and
 * the console's own shortcuts, so every step proves the control is reachable and operable.
 */

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails if it never gets it. */
async function tabTo(
  page: Page,
  target: Locator,
  direction: 'forward' | 'backward' = 'forward',
): Promise<void> {
  await expect(target).toBeVisible();
  await target.evaluate((element) => element.setAttribute('data-keyboard-target', ''));
  try {
    for (let presses = 0; presses < 80; presses++) {
      const focused = await page.evaluate(() => !!document.activeElement?.closest('[data-keyboard-target]'));
      if (focused) return;
      await page.keyboard.press(direction === 'forward' ? 'Tab' : 'Shift+Tab');
    }
    throw new Error(`${String(target)} never got the focus with the keyboard`);
  } finally {
    await target
      .evaluate((element) => element.removeAttribute('data-keyboard-target'))
      .catch(() => undefined);
  }
}

/** After a page change the focus is back at the top: the skip link jumps over toolbar and navigation. */
async function skipToMain(page: Page, direction: 'forward' | 'backward' = 'forward'): Promise<void> {
  await tabTo(page, page.getByRole('link', { name: 'Skip to main content' }), direction);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
}

test.describe('keyboard-only journeys', () => {
  test('create a prompt, edit it into a new version and promote that to production', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const owner = await seedOwner(request, 'Keyboard author');
    await signInBrowser(page, owner);
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();

    // Create.
    await skipToMain(page);
    await tabTo(page, page.getByRole('link', { name: 'New prompt' }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/prompts\/new$/);
    const editor = new PromptEditorPage(page);
    await skipToMain(page);
    await tabTo(page, editor.title);
    await page.keyboard.type('Keyboard reply');
    await tabTo(page, editor.content);
    await page.keyboard.type('Hello {{name}}, thanks for writing.');
    await tabTo(page, editor.create);
    await page.keyboard.press('Enter');

    const heading = page.getByRole('heading', { level: 1, name: 'Keyboard reply' });
    await expect(heading).toBeVisible();
    await expect(page).toHaveURL(/\/prompts\/[0-9a-f-]{36}$/);
    const promptUrl = page.url();
    await expect(page.locator('.badges')).toContainText('v1');

    // Edit: a second version.
    await skipToMain(page);
    await tabTo(page, page.getByRole('link', { name: 'Edit' }));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/edit$/);
    await skipToMain(page);
    await tabTo(page, editor.content);
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' We answer within a day.');
    await tabTo(page, editor.changeNote);
    await page.keyboard.type('Promise a reply time');
    await tabTo(page, editor.save);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(promptUrl);
    await expect(page.locator('.badges')).toContainText('v2');

    // Promote: the Labels tab (arrows move between tabs, Enter opens one), then the dialog.
    await skipToMain(page);
    await tabTo(page, page.getByRole('tab', { name: 'Overview' }));
    const labelsTab = page.getByRole('tab', { name: 'Labels' });
    for (let presses = 0; presses < 5; presses++) {
      if (await labelsTab.evaluate((element) => element === document.activeElement)) break;
      await page.keyboard.press('ArrowRight');
    }
    await expect(labelsTab).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(labelsTab).toHaveAttribute('aria-selected', 'true');

    await tabTo(page, page.getByRole('button', { name: 'Promote' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Promote a version' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('combobox', { name: 'Version' })).toContainText('v2');
    await expect(dialog.getByRole('combobox', { name: 'Label' })).toContainText('production');
    await tabTo(page, dialog.getByRole('button', { name: 'Promote' }));
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.locator('.badges')).toContainText('production → v2');

    const id = promptUrl.split('/').pop();
    const prompt = await request.get(`/api/v1/prompts/${id}`, {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'x-organization-id': owner.organizationId },
    });
    expect(await prompt.json()).toMatchObject({ version: 2, labels: { production: 2 } });
  });

  test('search: focus the box, type, move to a result and open it; then the results page', async ({
    page,
    request,
  }) => {
    test.setTimeout(180_000);
    const owner = await seedOwner(request, 'Keyboard searcher');
    await seedPrompt(request, owner, {
      title: 'Summarize meeting notes',
      content: 'Summarize these notes as decisions: {{notes}}',
    });
    await seedPrompt(request, owner, {
      title: 'Translate release notes',
      content: 'Translate the release notes into {{language}}: {{notes}}',
    });
    await signInBrowser(page, owner);
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();

    const search = new SearchPage(page);
    await expect(search.box).toBeVisible();
    // The `/` shortcut focuses the box.
    await page.keyboard.press('/');
    await expect(search.box).toBeFocused();
    await page.keyboard.type('summarize');
    await expect(search.option(/Summarize meeting notes/)).toBeVisible();
    // Enter without a highlighted option would open the results page: the arrow picks the hit.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Summarize meeting notes' })).toBeVisible();

    // The full results page: Enter in the box, then Tab to a result and open it.
    await tabTo(page, search.box, 'backward');
    await page.keyboard.type('release');
    await expect(search.option(/See all results/)).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/search\?.*q=release/);
    const result = page
      .getByRole('main')
      .getByRole('link', { name: /Translate release notes/ })
      .first();
    await expect(result).toBeVisible();
    // The focus is still in the toolbar's box: back up to the skip link, then on into the results.
    await skipToMain(page, 'backward');
    await tabTo(page, result);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Translate release notes' })).toBeVisible();
  });
});
