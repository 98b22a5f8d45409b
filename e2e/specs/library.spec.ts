import { expect, test } from '@playwright/test';
import { LibraryPage } from '../pages/library.page';
import { PromptEditorPage } from '../pages/prompt-editor.page';
import { PromptPage } from '../pages/prompt.page';
import { seedMember, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';
import { subscribeToPro } from '../support/fakes';

test.describe('prompt library', () => {
  test('an ADMIN creates a prompt, edits it twice, diffs, reverts and promotes to production', async ({
    page,
    request,
  }) => {
    // A dozen page loads and dialogs: more than the default 30 s on a busy two-core machine.
    test.slow();
    const owner = await seedOwner(request);
    // The whole history stays visible on Pro (Free shows the last 3 versions; billing.spec covers plans).
    expect((await subscribeToPro(owner.organizationId)).status).toBe(200);
    const admin = await seedMember(request, owner, 'ADMIN');
    await signInBrowser(page, admin);

    const library = new LibraryPage(page);
    await library.goto();
    await expect(page.getByRole('heading', { name: 'Your prompt library is empty' })).toBeVisible();
    await library.newPrompt.click();

    // Create: version 1.
    const editor = new PromptEditorPage(page);
    await editor.title.fill('Support reply');
    await editor.description.fill('Answers a customer ticket');
    await editor.setContent('Reply politely to {{customer}} about their ticket.');
    await expect(editor.variable('customer')).toBeVisible();
    await editor.create.click();

    const prompt = new PromptPage(page);
    await expect(page).toHaveURL(/\/prompts\/[0-9a-f-]{36}$/);
    await expect(prompt.heading).toHaveText('Support reply');
    await expect(prompt.badge('v1')).toBeVisible();
    const promptUrl = page.url();

    // First edit: version 2.
    await prompt.edit.click();
    await expect(editor.save).toBeEnabled();
    await editor.setContent('Reply politely and briefly to {{customer}} about their ticket.');
    await editor.changeNote.fill('Ask for brevity');
    await editor.save.click();
    await expect(page).toHaveURL(promptUrl);
    await expect(prompt.badge('v2')).toBeVisible();

    // Second edit: version 3.
    await prompt.edit.click();
    await editor.title.fill('Support reply (friendly)');
    await editor.setContent('Reply warmly and briefly to {{customer}} about their ticket.');
    await editor.changeNote.fill('Warmer tone');
    await editor.save.click();
    await expect(prompt.badge('v3')).toBeVisible();
    await expect(prompt.heading).toHaveText('Support reply (friendly)');

    // History and the diff of versions 1 and 3.
    await prompt.tab('Versions').click();
    const versions = prompt.versionsTable();
    await expect(versions.getByRole('row')).toHaveCount(4);
    await expect(versions).toContainText('Ask for brevity');
    await expect(versions).toContainText('Warmer tone');
    await prompt.selectOption('From version', /^v1 ·/);
    await prompt.selectOption('To version', /^v3 ·/);
    await page.getByRole('button', { name: 'Compare' }).click();
    const diff = prompt.diff(1, 3);
    await expect(diff.getByRole('table', { name: /Content/ })).toBeVisible();
    await expect(diff.getByRole('table', { name: /Title/ })).toBeVisible();
    await expect(diff.locator('del').filter({ hasText: 'politely' })).toBeVisible();
    await expect(diff.locator('ins').filter({ hasText: 'warmly' })).toBeVisible();

    // Revert to version 1: version 4 with the first content.
    await versions.getByRole('button', { name: 'Revert to version 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revert' }).click();
    await expect(page.getByText('Reverted: version 4 is now current')).toBeVisible();
    await expect(prompt.badge('v4')).toBeVisible();
    await expect(prompt.heading).toHaveText('Support reply');
    await expect(versions.getByRole('row')).toHaveCount(5);

    // Promote version 4 to production.
    await prompt.tab('Labels').click();
    await prompt.promote().click();
    const dialog = page.getByRole('dialog', { name: 'Promote a version' });
    await expect(dialog.getByRole('combobox', { name: 'Version' })).toContainText('v4');
    await expect(dialog.getByRole('combobox', { name: 'Label' })).toContainText('production');
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await expect(prompt.labels().getByRole('listitem').filter({ hasText: 'production' })).toContainText('v4');
    await expect(prompt.labelHistory()).toContainText('production set to v4');
    await expect(prompt.badge('production → v4')).toBeVisible();

    await prompt.tab('Overview').click();
    await expect(page.getByRole('region', { name: 'Prompt' })).toContainText('Reply politely to');
  });

  test('an EDITOR cannot edit someone else’s prompt or move production', async ({ page, request }) => {
    const owner = await seedOwner(request);
    const editor = await seedMember(request, owner, 'EDITOR');
    const ownersPrompt = await seedPrompt(request, owner, {
      title: 'Owner’s onboarding mail',
      content: 'Welcome {{name}} to the team.',
    });
    const editorsPrompt = await seedPrompt(request, editor, {
      title: 'Editor’s release notes',
      content: 'Summarize the release for {{audience}}.',
    });
    await signInBrowser(page, editor);

    const library = new LibraryPage(page);
    await library.goto();
    await expect(library.promptLink('Owner’s onboarding mail')).toBeVisible();
    await expect(library.promptLink('Editor’s release notes')).toBeVisible();

    // Someone else's prompt: readable, but no edit, delete or promote.
    await library.promptLink('Owner’s onboarding mail').click();
    const prompt = new PromptPage(page);
    await expect(prompt.heading).toHaveText('Owner’s onboarding mail');
    await expect(page.getByRole('button', { name: 'Add to favorites' })).toBeVisible();
    await expect(prompt.edit).toHaveCount(0);
    await expect(prompt.delete).toHaveCount(0);
    await prompt.tab('Labels').click();
    await expect(prompt.labels()).toBeVisible();
    await expect(prompt.promote()).toHaveCount(0);

    // A direct link to the editor says why there is nothing to edit, with no form to fill in.
    await page.goto(`/prompts/${ownersPrompt.id}/edit`);
    await expect(
      page.getByRole('heading', { name: 'You can view this prompt but not edit it' }),
    ).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Only its author, owners and admins can edit');
    await expect(page.getByRole('form', { name: 'Prompt' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
    await page.getByRole('link', { name: 'Back to the prompt' }).click();
    await expect(prompt.heading).toHaveText('Owner’s onboarding mail');

    // Their own prompt: editable, but production is offered disabled with the reason.
    await prompt.goto(editorsPrompt.id);
    await expect(prompt.edit).toBeVisible();
    await prompt.tab('Labels').click();
    await expect(page.getByRole('note')).toContainText(
      'Only owners and admins can move the production label.',
    );
    await prompt.promote().click();
    const dialog = page.getByRole('dialog', { name: 'Promote a version' });
    await expect(dialog).toContainText('Only owners and admins can move the production label.');
    await dialog.getByRole('combobox', { name: 'Label' }).click();
    await expect(page.getByRole('option', { name: 'production' })).toBeDisabled();
    await page.getByRole('option', { name: 'staging' }).click();
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await expect(prompt.labels().getByRole('listitem').filter({ hasText: 'staging' })).toContainText('v1');
    await expect(prompt.labels()).not.toContainText('production');
  });

  test('bulk archive reports the prompts the EDITOR may not change', async ({ page, request }) => {
    const owner = await seedOwner(request);
    const editor = await seedMember(request, owner, 'EDITOR');
    await seedPrompt(request, owner, { title: 'Owner’s FAQ answer', content: 'Answer {{question}}.' });
    await seedPrompt(request, editor, { title: 'Editor’s tweet draft', content: 'Tweet about {{topic}}.' });
    await signInBrowser(page, editor);

    const library = new LibraryPage(page);
    await library.goto();
    await page.getByRole('checkbox', { name: 'Select all prompts' }).check();
    await expect(page.getByRole('status').filter({ hasText: '2 selected' })).toBeVisible();
    await page.getByRole('group', { name: 'Bulk actions' }).getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();

    const result = page.getByRole('dialog', { name: '1 done, 1 failed' });
    await expect(result).toBeVisible();
    await expect(result.getByRole('list', { name: 'Failed prompts' })).toContainText('Owner’s FAQ answer');
    await result.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Archived' }).click();
    await expect(library.promptLink('Editor’s tweet draft')).toBeVisible();
    await expect(library.promptLink('Owner’s FAQ answer')).toHaveCount(0);
  });

  test('saving over a newer version shows the conflict instead of overwriting it', async ({
    page,
    request,
  }) => {
    const owner = await seedOwner(request);
    const prompt = await seedPrompt(request, owner, { title: 'Shared prompt', content: 'First text.' });
    await signInBrowser(page, owner);

    await page.goto(`/prompts/${prompt.id}/edit`);
    const editor = new PromptEditorPage(page);
    await expect(editor.content).toContainText('First text.');

    // Someone else saves version 2 meanwhile.
    const response = await request.patch(`/api/v1/prompts/${prompt.id}`, {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'x-organization-id': owner.organizationId },
      data: { content: 'Text from a colleague.', expectedVersion: 1 },
    });
    expect(response.status()).toBe(200);

    await editor.setContent('My stale text.');
    await editor.save.click();
    await expect(
      page.getByRole('alert').filter({ hasText: 'Someone else saved a newer version' }),
    ).toBeVisible();
    await expect(page).toHaveURL(/\/edit$/);

    await page.getByRole('button', { name: 'Reload latest version' }).click();
    await expect(editor.content).toContainText('Text from a colleague.');
    await expect(page.getByText('editing v2')).toBeVisible();
  });
});
