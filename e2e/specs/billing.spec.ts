import { expect, test } from '@playwright/test';
import { BillingPage, UpgradeDialog } from '../pages/billing.page';
import { LibraryPage } from '../pages/library.page';
import { PromptEditorPage } from '../pages/prompt-editor.page';
import { PromptPage } from '../pages/prompt.page';
import { seedMember, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';
import { completeCheckout } from '../support/stripe';

const FREE_PROMPT_LIMIT = 100;

test.describe('billing', () => {
  test('a Free organization at its prompt limit upgrades through Stripe Checkout and creates the prompt', async ({
    page,
    request,
  }) => {
    // A hundred prompts seeded through the API, then a full Checkout round trip.
    test.slow();
    const owner = await seedOwner(request, 'Billing');
    for (let i = 0; i < FREE_PROMPT_LIMIT; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          seedPrompt(request, owner, { title: `Seeded prompt ${i + j + 1}`, content: 'Say hello.' }),
        ),
      );
    }
    await signInBrowser(page, owner);

    // The 101st prompt is refused: one dialog names the limit and the way to raise it.
    await new LibraryPage(page).goto();
    await new LibraryPage(page).newPrompt.click();
    const editor = new PromptEditorPage(page);
    await editor.title.fill('Quarterly summary');
    await editor.setContent('Summarize {{report}} in three bullet points.');
    await editor.create.click();
    const dialog = new UpgradeDialog(page);
    await dialog.expectLimit(
      `Your organization has ${FREE_PROMPT_LIMIT} of ${FREE_PROMPT_LIMIT} prompts on the Free plan.`,
    );
    const billing = await dialog.seePlans({ discardChanges: true });
    await billing.expectPlan('Free');
    await expect(billing.meter('Prompts')).toBeVisible();

    // Upgrade: the API answers a Stripe Checkout URL and the browser goes there. Stripe's page is
    // outside this machine's reach: the test stands in for the customer paying on it.
    await page.route('https://checkout.stripe.com/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<h1>Stripe Checkout (test)</h1>' }),
    );
    await billing.chooseInterval('Monthly');
    const checkoutUrl = await billing.startCheckout('Pro');
    expect(checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    await expect(page).toHaveURL(checkoutUrl);

    // Paying completes the session; Stripe posts the signed checkout.session.completed webhook.
    const delivered = await completeCheckout(owner.organizationId);
    expect(delivered.status).toBe(200);

    // Back from Checkout, the organization is on Pro.
    await billing.returnFromCheckout('success');
    await billing.expectPlan('Pro');

    // And the prompt that was refused is created now.
    await new LibraryPage(page).goto();
    await new LibraryPage(page).newPrompt.click();
    await editor.title.fill('Quarterly summary');
    await editor.setContent('Summarize {{report}} in three bullet points.');
    await editor.create.click();
    const prompt = new PromptPage(page);
    await expect(page).toHaveURL(/\/prompts\/[0-9a-f-]{36}$/);
    await expect(prompt.heading).toHaveText('Quarterly summary');
  });

  test('members other than the OWNER see the plan read-only', async ({ page, request }) => {
    const owner = await seedOwner(request, 'Payer');
    const viewer = await seedMember(request, owner, 'VIEWER');
    await signInBrowser(page, viewer);
    const billing = new BillingPage(page);
    await billing.goto();
    await billing.expectPlan('Free');
    await expect(billing.readOnlyNote).toBeVisible();
    await expect(billing.card('Pro').getByRole('button', { name: 'Upgrade: Pro' })).toHaveCount(0);
    await expect(billing.manageBilling).toHaveCount(0);
  });
});
