import { expect, test } from '@playwright/test';
import { EvaluationsPanel } from '../pages/evaluations.page';
import { PromptPage } from '../pages/prompt.page';
import { fakeProviderKey, subscribeToPro } from '../support/fakes';
import { seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

test.describe('AI evaluator', () => {
  test('evaluates a prompt: scores as bars, suggestions with examples, and the history', async ({
    page,
    request,
  }) => {
    test.slow();
    const owner = await seedOwner(request, 'Evaluator');
    const headers = {
      authorization: `Bearer ${owner.accessToken}`,
      'x-organization-id': owner.organizationId,
    };
    // Evaluations are a Pro feature; the evaluator model (EVALUATOR_MODEL) runs on the org's OpenAI key.
    expect((await subscribeToPro(owner.organizationId)).status).toBe(200);
    const apiKey = `sk-e2e-eval-${Date.now().toString(36)}`;
    const { openaiBaseUrl } = await fakeProviderKey(apiKey);
    const key = await request.post('/api/v1/provider-keys', {
      headers,
      data: { provider: 'openai', name: 'Team OpenAI', apiKey, baseUrl: openaiBaseUrl },
    });
    expect(key.status(), await key.text()).toBe(201);
    const prompt = await seedPrompt(request, owner, {
      title: 'Lighthouse poem',
      content: 'Write a poem about {{topic}}.',
    });

    await signInBrowser(page, owner);
    const promptPage = new PromptPage(page);
    await promptPage.goto(prompt.id);
    const panel = new EvaluationsPanel(page);
    await panel.tab.click();
    await expect(panel.empty).toBeVisible();

    await panel.evaluate.click();
    const shown = panel.evaluation(1);
    await expect(shown).toBeVisible();
    await expect(shown).toContainText('4.2');
    await expect(shown).toContainText('Room to improve');
    await expect(panel.score('Clarity & Structure')).toHaveAttribute('aria-valuenow', '3.8');
    await expect(panel.score('Adaptability Across Versions')).toHaveAttribute('aria-valuenow', '4');
    await expect(shown.getByRole('heading', { name: 'Suggestions' })).toBeVisible();
    await expect(shown).toContainText('Name the audience');
    await expect(shown).toContainText('Example: Write for children aged 6 to 8.');
    await expect(shown).toContainText('Whether the poem should rhyme');
    await expect(panel.history.getByRole('button')).toHaveCount(1);

    // The evaluation is stored: it is listed again after a reload.
    await page.reload();
    await panel.tab.click();
    await expect(panel.history.getByRole('button')).toHaveCount(1);
    await expect(panel.evaluation(1)).toContainText('Name the audience');
  });
});
