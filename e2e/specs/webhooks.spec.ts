import { expect, test } from '@playwright/test';
import { webhookReceiverUrl } from '../support/fakes';
import { seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

test.describe('webhooks', () => {
  test('an OWNER registers a webhook, keeps its secret, and sees a signed delivery in the log', async ({
    page,
    request,
  }) => {
    test.slow();
    const owner = await seedOwner(request, 'Hooks');
    await signInBrowser(page, owner);
    const url = webhookReceiverUrl(`e2e-${Date.now().toString(36)}`);

    await page.goto('/webhooks');
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Endpoint URL' }).fill(url);
    await dialog.getByRole('checkbox', { name: /prompt\.created/ }).check();
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(dialog).toBeHidden();

    // The signing secret is shown once.
    const secret = page.getByRole('region', { name: 'Signing secret' });
    await expect(secret).toContainText(/whsec_/);
    await secret.getByRole('button', { name: 'I have stored it' }).click();
    await expect(secret).toBeHidden();

    // A prompt created through the API is delivered to the endpoint.
    await seedPrompt(request, owner, { title: 'Hooked prompt', content: 'Hello.' });
    await page.getByRole('button', { name: `Deliveries of ${url}` }).click();
    const deliveries = page.getByRole('table', { name: 'Deliveries' });
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh deliveries' }).click();
      await expect(deliveries.getByRole('row').filter({ hasText: 'prompt.created' })).toContainText(
        'delivered',
        {
          timeout: 1_000,
        },
      );
    }).toPass({ timeout: 30_000 });
    await expect(deliveries.getByRole('row').filter({ hasText: 'prompt.created' })).toContainText('200');
  });
});
