import { expect, test } from '@playwright/test';
import { LibraryPage } from '../pages/library.page';
import { seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

const TOPICS = [
  ['Support reply', 'support'],
  ['Refund request triage', 'support'],
  ['Release notes writer', 'engineering'],
  ['Changelog summary', 'engineering'],
  ['SQL explainer', 'engineering'],
  ['Meeting notes summary', 'productivity'],
  ['Weekly status update', 'productivity'],
  ['Sales follow-up e-mail', 'sales'],
  ['Cold outreach opener', 'sales'],
  ['Job description draft', 'hr'],
  ['Interview questions', 'hr'],
  ['Incident postmortem', 'engineering'],
  ['Product description', 'marketing'],
  ['Tweet thread from a blog post', 'marketing'],
] as const;

test.describe('the library at a glance', () => {
  test('the compact list shows a dozen prompts and more at 1440×900, remembered; a tag chip filters', async ({
    page,
    request,
  }) => {
    test.slow();
    const owner = await seedOwner(request, 'Look');
    for (const [title, tag] of TOPICS)
      await seedPrompt(request, owner, {
        title,
        content: `Write the ${title.toLowerCase()} for {{subject}}.`,
        description: `${title} for the ${tag} team`,
        tags: [tag, 'team'],
      });
    await page.setViewportSize({ width: 1440, height: 900 });
    await signInBrowser(page, owner);

    const library = new LibraryPage(page);
    await library.goto();
    await expect(library.prompts.getByRole('listitem')).toHaveCount(TOPICS.length);

    // Compact: dense rows, at least twelve of them inside the viewport.
    await page.getByRole('radio', { name: 'Compact list view' }).click();
    const table = page.getByRole('table', { name: 'Prompts' });
    const rows = table.locator('tbody tr');
    await expect(rows).toHaveCount(TOPICS.length);
    const inView = await rows.evaluateAll(
      (elements) =>
        elements.filter((row) => {
          const box = row.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length,
    );
    expect(inView).toBeGreaterThanOrEqual(12);
    await expect(table.getByRole('columnheader', { name: 'Cost (30 days)' })).toBeVisible();

    // The choice survives a reload.
    await page.reload();
    await expect(page.getByRole('table', { name: 'Prompts' }).locator('tbody tr')).toHaveCount(TOPICS.length);

    // A tag chip filters the library through the URL.
    await page
      .getByRole('row', { name: /Release notes writer/ })
      .getByRole('button', { name: 'Filter by tag engineering' })
      .click();
    await expect(page).toHaveURL(/[?&]tag=engineering/);
    await expect(page.getByRole('table', { name: 'Prompts' }).locator('tbody tr')).toHaveCount(4);

    // Back to cards: the chips there filter too, and the sidebar still marks Library.
    await page.getByRole('radio', { name: 'Cards view' }).click();
    await expect(library.prompts.getByRole('listitem')).toHaveCount(4);
    await library.prompts
      .getByRole('listitem')
      .filter({ hasText: 'Release notes writer' })
      .getByRole('button', { name: 'Filter by tag team' })
      .click();
    await expect(page).toHaveURL(/[?&]tag=team/);
    await expect(library.prompts.getByRole('listitem')).toHaveCount(TOPICS.length);
    await library.promptLink('SQL explainer').click();
    await expect(page).toHaveURL(/\/prompts\/[0-9a-f-]{36}$/);
    await expect(
      page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Library' }),
    ).toHaveAttribute('aria-current', 'page');
  });
});
