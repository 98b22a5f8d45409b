import { expect, test } from '@playwright/test';
import { seedMember, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

test.describe('employee portal and organization settings', () => {
  test('a VIEWER lands on the portal home and renders a published prompt', async ({ page, request }) => {
    test.slow();
    const owner = await seedOwner(request, 'Portal owner');
    const viewer = await seedMember(request, owner, 'VIEWER');
    const prompt = await seedPrompt(request, owner, {
      title: 'Greeting reply',
      description: 'Answers a customer greeting',
      content: 'Hello {{name}}, thanks for writing.',
    });
    const published = await request.patch(`/api/v1/prompts/${prompt.id}`, {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'x-organization-id': owner.organizationId },
      data: { status: 'published' },
    });
    expect(published.status()).toBe(200);

    await signInBrowser(page, viewer);
    await page.goto('/');
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.getByRole('heading', { level: 1, name: /Prompts for/ })).toBeVisible();
    // No admin navigation on the portal.
    await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeHidden();

    await page
      .getByRole('link', { name: /Greeting reply/ })
      .first()
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'Greeting reply' })).toBeVisible();
    await page.getByLabel('name').fill('Ada');
    await page.getByRole('button', { name: 'Render' }).click();
    await expect(page.getByTestId('rendered-prompt')).toHaveText('Hello Ada, thanks for writing.');

    // It is "recently used" on the way back.
    await page.getByRole('link', { name: 'All prompts' }).click();
    await expect(page.getByRole('list', { name: 'Recently used' })).toContainText('Greeting reply');
  });

  test('an OWNER changes a data policy and it is saved', async ({ page, request }) => {
    const owner = await seedOwner(request, 'Settings owner');
    await signInBrowser(page, owner);
    await page.goto('/organization/settings');
    await expect(page.getByRole('heading', { level: 1, name: 'Organization settings' })).toBeVisible();
    await page.getByLabel('Session lifetime (minutes)').fill('120');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await expect(page.getByText('Settings saved')).toBeVisible();

    const settings = await request.get(`/api/v1/organizations/${owner.organizationId}/settings`, {
      headers: { authorization: `Bearer ${owner.accessToken}`, 'x-organization-id': owner.organizationId },
    });
    expect(await settings.json()).toMatchObject({ sessionTtlMinutes: 120 });
    await page.reload();
    await expect(page.getByLabel('Session lifetime (minutes)')).toHaveValue('120');
  });
});
