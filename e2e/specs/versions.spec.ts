import { APIRequestContext, expect, test } from '@playwright/test';
import { LibraryPage } from '../pages/library.page';
import { PromptEditorPage } from '../pages/prompt-editor.page';
import { PromptPage } from '../pages/prompt.page';
import { SeededSession, seedOwner, signInBrowser } from '../support/library-seed';

/** An API call as the owner, expecting `status`. */
async function api(
  request: APIRequestContext,
  owner: SeededSession,
  method: 'post' | 'put',
  path: string,
  data: unknown,
  status: number,
): Promise<void> {
  const response = await request[method](`/api/v1${path}`, {
    headers: { authorization: `Bearer ${owner.accessToken}`, 'x-organization-id': owner.organizationId },
    data,
  });
  expect(response.status(), await response.text()).toBe(status);
}

test.describe('versions tab', () => {
  // The editor's Save must stay in view on a common laptop screen (issue 17 item 9).
  test.use({ viewport: { width: 1440, height: 900 } });

  test('saves with Ctrl+S, then compares versions from a shareable URL and runs a test case against production', async ({
    page,
    request,
  }) => {
    // Three saves, a dozen navigations and two reloads: more than 30 s on a busy two-core machine.
    test.slow();
    const owner = await seedOwner(request);
    await signInBrowser(page, owner);

    const library = new LibraryPage(page);
    await library.goto();
    await library.newPrompt.click();

    // Version 1.
    const editor = new PromptEditorPage(page);
    await editor.title.fill('Order summary');
    await editor.setContent('Summarize order {{order}} for the customer.');
    await expect(editor.variable('order')).toBeVisible();
    await editor.create.click();
    const prompt = new PromptPage(page);
    await expect(page).toHaveURL(/\/prompts\/[0-9a-f-]{36}$/);
    await expect(prompt.badge('v1')).toBeVisible();
    const promptUrl = page.url();
    const id = promptUrl.split('/').pop()!;

    // Version 2 is saved with Ctrl/Cmd+S from the editor, without clicking Save.
    await prompt.edit.click();
    await expect(editor.save).toBeEnabled();
    const rules = Array.from({ length: 30 }, (_, i) => `- Rule ${i + 1}: keep it short.`).join('\n');
    await editor.setContent(`Summarize order {{order}} for the customer in three bullet points.\n${rules}`);
    // Long content does not push the primary action below the fold (the action bar is sticky).
    await expect(editor.save).toBeInViewport();
    await page.keyboard.press('ControlOrMeta+s');
    await expect(page).toHaveURL(promptUrl);
    await expect(prompt.badge('v2')).toBeVisible();

    // Version 3 changes the title and the variables.
    await prompt.edit.click();
    await expect(editor.save).toBeEnabled();
    await editor.title.fill('Order recap');
    await editor.setContent('Summarize order {{order}} for the customer in a {{tone}} tone.');
    await expect(editor.variable('tone')).toBeVisible();
    await editor.save.click();
    await expect(prompt.badge('v3')).toBeVisible();

    // Production points at version 2; one test case expects its wording.
    await api(request, owner, 'put', `/prompts/${id}/labels/production`, { version: 2 }, 200);
    await api(
      request,
      owner,
      'post',
      `/prompts/${id}/test-cases`,
      { name: 'Bullet points', variables: { order: 'A-17' }, expectedContains: 'three bullet points' },
      201,
    );

    // The versions tab opens from its URL; a title shows only where it changed.
    await page.goto(`${promptUrl}?tab=versions`);
    await expect(prompt.tab('Versions')).toHaveAttribute('aria-selected', 'true');
    const rows = prompt.versionsTable().getByRole('row');
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(1).getByRole('cell').nth(1)).toHaveText('Order recap');
    await expect(rows.nth(2).getByRole('cell').nth(1)).toHaveText('Same title as version 1');
    await expect(rows.nth(3).getByRole('cell').nth(1)).toHaveText('Order summary');

    // The select shows "v2 · production · <day>" in full.
    await prompt.selectOption('From version', /^v2 · production · \d{1,2} \w{3}$/);
    await prompt.selectOption('To version', /^v3 ·/);
    const fromValue = page
      .getByRole('combobox', { name: 'From version' })
      .locator('.mat-mdc-select-value-text');
    await expect(fromValue).toHaveText(/^v2 · production · \d{1,2} \w{3}$/);
    expect(await fromValue.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect(page).toHaveURL(/[?&]from=2&to=3|[?&]to=3.*[?&]from=2/);
    await expect(page).toHaveURL(/tab=versions/);

    const checkDiff = async () => {
      const diff = prompt.diff(2, 3);
      // Labelled counts, not bare "+N −M".
      await expect(
        diff.getByRole('table', { name: /^Content \d+ characters? added, \d+ removed$/ }),
      ).toBeVisible();
      // Variables as a table of fields: tone added, order unchanged (folded away).
      const variables = diff.getByRole('region', { name: 'Variables, version 2 to version 3' });
      await expect(variables.getByRole('columnheader')).toHaveText([
        'Variable',
        'Change',
        'Type',
        'Required',
        'Default',
        'Options',
        'Description',
      ]);
      await expect(variables.getByRole('row', { name: /tone/ })).toContainText('Added');
      await expect(variables.getByRole('row', { name: /order/ })).toHaveCount(0);
      await expect(diff).not.toContainText('"name"');
      await diff.getByRole('button', { name: 'Show 1 unchanged variable' }).click();
      await expect(variables.getByRole('row', { name: /order/ })).toContainText('Unchanged');
    };
    await checkDiff();
    const compareUrl = page.url();

    // The compare URL round trip: a reload shows the same diff.
    await page.reload();
    await expect(page).toHaveURL(compareUrl);
    await expect(prompt.tab('Versions')).toHaveAttribute('aria-selected', 'true');
    await checkDiff();

    // Back and forward move between the tabs the user opened.
    await prompt.tab('Labels').click();
    await expect(page).toHaveURL(/tab=labels/);
    await expect(page).not.toHaveURL(/from=/);
    await page.goBack();
    await expect(page).toHaveURL(compareUrl);
    await expect(prompt.tab('Versions')).toHaveAttribute('aria-selected', 'true');
    await expect(prompt.diff(2, 3)).toBeVisible();
    await page.goForward();
    await expect(prompt.tab('Labels')).toHaveAttribute('aria-selected', 'true');

    // Test cases run against the production label, and say which version it resolved to.
    await prompt.tab('Test cases').click();
    await expect(page).toHaveURL(/tab=test-cases/);
    await prompt.selectOption('Run against', 'production (v2)');
    await expect(page.getByText('Points at v2 now')).toBeVisible();
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Passed on v2 (production)' })).toBeVisible();
  });
});
