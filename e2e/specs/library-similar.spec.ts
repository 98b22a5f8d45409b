import { expect, test } from '@playwright/test';
import { PromptEditorPage } from '../pages/prompt-editor.page';
import { seedMember, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

test.describe('similar prompts while creating', () => {
  test('a near-duplicate title shows the existing prompt, which can be duplicated and edited', async ({
    page,
    request,
  }) => {
    const owner = await seedOwner(request);
    const editor = await seedMember(request, owner, 'EDITOR');
    const existing = await seedPrompt(request, owner, {
      title: 'Customer refund reply',
      description: 'Answers a refund request',
      content: 'Reply politely to {{customer}} about their refund and give the expected date.',
    });
    await seedPrompt(request, owner, { title: 'Release notes summary', content: 'Summarize the changes.' });
    await signInBrowser(page, editor);

    const similarRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/prompts/similar')) similarRequests.push(r.url());
    });
    await page.goto('/prompts/new');
    const form = new PromptEditorPage(page);
    // Too short to compare: nothing is asked, nothing is shown.
    await form.title.fill('Cu');
    await page.waitForTimeout(800);
    expect(similarRequests).toEqual([]);
    await expect(form.similarPanel).toBeHidden();

    await form.title.fill('Customer refund replies');
    await expect(form.similarPanel).toBeVisible();
    await expect(
      form.similarPanel.getByRole('link', { name: 'Customer refund reply', exact: true }),
    ).toHaveAttribute('href', `/prompts/${existing.id}`);
    await expect(form.similarPanel).toContainText('similar');
    await expect(form.similarPanel).not.toContainText('Release notes summary');

    // Dismissed, it stays away while typing on.
    await form.similarPanel.getByRole('button', { name: 'Dismiss similar prompts' }).click();
    await expect(form.similarPanel).toBeHidden();
    const asked = page.waitForResponse(
      (r) =>
        r.url().includes('/api/v1/prompts/similar') &&
        new URL(r.url()).searchParams.get('title') === 'Customer refund reply',
    );
    await form.title.fill('Customer refund reply');
    expect((await asked).ok()).toBe(true);
    await expect(form.similarPanel).toBeHidden();
    expect(similarRequests).toHaveLength(2);

    // Another editor (the draft above stays behind): fork the existing prompt instead.
    const next = await page.context().newPage();
    const fresh = new PromptEditorPage(next);
    await next.goto('/prompts/new');
    await fresh.title.fill('Customer refund reply');
    await fresh.similarPanel
      .getByRole('button', { name: 'Duplicate and edit Customer refund reply' })
      .click();
    const dialog = next.getByRole('dialog', { name: 'Duplicate “Customer refund reply”?' });
    await dialog.getByRole('button', { name: 'Duplicate and edit' }).click();

    await expect(next).toHaveURL(/\/prompts\/[0-9a-f-]{36}\/edit$/);
    expect(next.url()).not.toContain(existing.id);
    await expect(next.getByRole('heading', { name: /Edit prompt/, level: 1 })).toBeVisible();
    await expect(fresh.title).toHaveValue('Customer refund reply (copy)');
    await expect(fresh.similarPanel).toBeHidden();
  });
});
