import { expect, test } from '@playwright/test';
import { SearchPage } from '../pages/search.page';
import { SeededSession, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

/** Four prompts: two about summarizing (one for meetings), one translation, one marketing e-mail. */
async function seedLibrary(request: Parameters<typeof seedOwner>[0], owner: SeededSession) {
  const meeting = await seedPrompt(request, owner, {
    title: 'Summarize meeting notes',
    description: 'Turns a meeting transcript into a short list of decisions',
    content: 'Summarize these notes as decisions and action items: {{notes}}',
    tags: ['writing', 'meetings'],
  });
  const tickets = await seedPrompt(request, owner, {
    title: 'Summarize support tickets',
    description: 'Groups a week of tickets by theme',
    content: 'Read the tickets and summarize the recurring problems: {{tickets}}',
    tags: ['support'],
  });
  await seedPrompt(request, owner, {
    title: 'Translate release notes',
    description: 'German and French versions of the changelog',
    content: 'Translate the release notes into {{language}}: {{notes}}',
    tags: ['writing'],
  });
  await seedPrompt(request, owner, {
    title: 'Marketing email draft',
    description: 'A launch announcement for customers',
    content: 'Write a friendly launch e-mail about {{product}}.',
    tags: ['marketing'],
  });
  return { meeting, tickets };
}

test.describe('search', () => {
  test('a typo query finds the summarize prompts with highlights, instantly and on the results page', async ({
    page,
    request,
  }) => {
    const owner = await seedOwner(request, 'Searcher');
    const { meeting } = await seedLibrary(request, owner);
    await signInBrowser(page, owner);

    const search = new SearchPage(page);
    await page.goto('/');
    await expect(search.box).toBeVisible();

    // `/` focuses the box from anywhere that is not a field.
    await page.getByRole('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    await expect(search.box).toBeFocused();

    await search.box.pressSequentially('sumarize');
    const instantHit = search.option(/Summarize meeting notes/);
    await expect(instantHit).toBeVisible();
    await expect(instantHit.locator('mark').first()).toHaveText(/summarize/i);
    await expect(search.option(/See all results for “sumarize” \(2\)/)).toBeVisible();
    await expect(search.option(/Translate release notes/)).toHaveCount(0);

    // Escape closes the dropdown; Enter opens the results page for the text.
    await page.keyboard.press('Escape');
    await expect(page.getByRole('listbox')).toHaveCount(0);
    await search.box.press('Enter');
    await expect(page).toHaveURL(/\/search\?q=sumarize$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “sumarize”');
    await expect(search.count).toHaveText('2 prompts');
    await expect(search.results.getByRole('listitem')).toHaveCount(2);
    const result = search.result('Summarize meeting notes');
    await expect(result.getByRole('link').locator('mark')).toHaveText(/summarize/i);
    await expect(search.result('Summarize support tickets')).toBeVisible();

    // A hit opens its prompt.
    await result.getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/prompts/${meeting.id}$`));

    // The empty box offers the search as a recent one.
    await search.box.fill('');
    await search.box.blur();
    await search.box.focus();
    await expect(page.getByRole('group', { name: 'Recent searches' })).toBeVisible();
    await search.option(/sumarize/).click();
    await expect(page).toHaveURL(/\/search\?q=sumarize$/);
    await expect(search.results.getByRole('listitem')).toHaveCount(2);
  });

  test('a facet click narrows the results, shows a chip, survives a reload and is removable', async ({
    page,
    request,
  }) => {
    const owner = await seedOwner(request, 'Facets');
    await seedLibrary(request, owner);
    await signInBrowser(page, owner);

    const search = new SearchPage(page);
    await search.goto('?q=summarize');
    await expect(search.count).toHaveText('2 prompts');
    await expect(search.facet('meetings, 1')).toBeVisible();
    await expect(search.facet('support, 1')).toBeVisible();

    await search.facet(/^meetings/).check();
    await expect(page).toHaveURL(/\/search\?q=summarize&tags=meetings$/);
    await expect(search.count).toHaveText('1 prompt');
    await expect(search.result('Summarize meeting notes')).toBeVisible();
    await expect(search.result('Summarize support tickets')).toHaveCount(0);
    await expect(search.removeChip('Tag: meetings')).toBeVisible();

    // The URL is the state: a reload (or a shared link) shows the same filtered view.
    await page.reload();
    await expect(search.count).toHaveText('1 prompt');
    await expect(search.box).toHaveValue('summarize');
    await expect(search.facet(/^meetings/)).toBeChecked();
    await expect(search.removeChip('Tag: meetings')).toBeVisible();

    // Sorting keeps the filters.
    await page.getByRole('button', { name: /^Sort by/ }).click();
    await page.getByRole('menuitemradio', { name: 'Newest' }).click();
    await expect(page).toHaveURL(/tags=meetings&sort=created$/);
    await expect(search.count).toHaveText('1 prompt');

    await search.removeChip('Tag: meetings').click();
    await expect(page).toHaveURL(/\/search\?q=summarize&sort=created$/);
    await expect(search.count).toHaveText('2 prompts');
    await expect(search.removeChip('Tag: meetings')).toHaveCount(0);
  });

  test('a search is saved, shared with the organization and reopened from the menu', async ({
    page,
    request,
  }) => {
    const owner = await seedOwner(request, 'Saver');
    await seedLibrary(request, owner);
    await signInBrowser(page, owner);

    const search = new SearchPage(page);
    await search.goto('?q=sumarize&tags=meetings');
    await expect(search.count).toHaveText('1 prompt');

    await search.savedSearches.click();
    await search.menuItem('Save this search…').click();
    const dialog = page.getByRole('dialog', { name: 'Save this search' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Meeting summaries');
    await dialog.getByRole('checkbox', { name: 'Share with the organization' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText('Saved “Meeting summaries”')).toBeVisible();

    // Stored as shown: the query, the tag filter and the sharing.
    const saved = await request.get('/api/v1/search/saved', {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'x-organization-id': owner.organizationId },
    });
    expect(saved.status()).toBe(200);
    expect(await saved.json()).toEqual([
      expect.objectContaining({
        name: 'Meeting summaries',
        query: 'sumarize',
        filters: expect.objectContaining({ tags: ['meetings'] }),
        shared: true,
        subscribed: false,
      }),
    ]);

    // Somewhere else entirely, then back through the menu.
    await search.goto('?q=translate');
    await expect(search.count).toHaveText('1 prompt');
    await search.savedSearches.click();
    await search.menuItem('Meeting summaries').click();
    await expect(page).toHaveURL(/\/search\?q=sumarize&tags=meetings$/);
    await expect(search.count).toHaveText('1 prompt');
    await expect(search.result('Summarize meeting notes')).toBeVisible();
    await expect(search.removeChip('Tag: meetings')).toBeVisible();
    await expect(search.box).toHaveValue('sumarize');

    // A second search under the same name is refused next to the name.
    await search.savedSearches.click();
    await search.menuItem('Save this search…').click();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Meeting summaries');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toContainText('already have a saved search named');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Managed in the dialog: deleted after confirmation.
    await search.savedSearches.click();
    await search.menuItem('Manage saved searches…').click();
    const manage = page.getByRole('dialog', { name: 'Saved searches' });
    await manage.getByRole('button', { name: 'Delete saved search Meeting summaries' }).click();
    await page
      .getByRole('dialog', { name: 'Delete saved search?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect(manage).toContainText('No saved searches left.');
    await manage.getByRole('button', { name: 'Done' }).click();
    await search.savedSearches.click();
    await expect(page.getByRole('menu')).toContainText('No saved searches yet.');
  });
});
