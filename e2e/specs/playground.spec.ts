import { expect, test } from '@playwright/test';
import { PlaygroundPage } from '../pages/playground.page';
import { seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';
import { fakeProviderKey } from '../support/fakes';

test.describe('playground', () => {
  test('runs a prompt with streaming output, then compares two versions side by side', async ({
    page,
    request,
  }) => {
    test.slow();
    const owner = await seedOwner(request, 'Runner');
    const headers = {
      authorization: `Bearer ${owner.accessToken}`,
      'x-organization-id': owner.organizationId,
    };

    // The organization's own OpenAI key, pointed at the local OpenAI-compatible fake.
    const apiKey = `sk-e2e-${Date.now().toString(36)}`;
    const { openaiBaseUrl } = await fakeProviderKey(apiKey);
    const key = await request.post('/api/v1/provider-keys', {
      headers,
      data: { provider: 'openai', name: 'Team OpenAI', apiKey, baseUrl: openaiBaseUrl },
    });
    expect(key.status(), await key.text()).toBe(201);

    // A prompt with two versions.
    const prompt = await seedPrompt(request, owner, {
      title: 'Product haiku',
      content: 'Write a haiku about {{topic}}.',
    });
    const edited = await request.patch(`/api/v1/prompts/${prompt.id}`, {
      headers,
      data: { content: 'Write a limerick about {{topic}}.', changeNote: 'Limerick instead' },
    });
    expect(edited.status(), await edited.text()).toBe(200);

    await signInBrowser(page, owner);
    const playground = new PlaygroundPage(page);
    await playground.goto(prompt.id);
    await playground.chooseModel(/GPT-4\.1 nano/);
    await playground.variable('topic').fill('lighthouses');
    await expect(playground.run).toBeEnabled();

    // Run: the answer streams in word by word, then its tokens, cost and latency show.
    await playground.run.click();
    await expect(playground.stop).toBeVisible();
    await expect(playground.output).toContainText('gpt-4.1-nano answers:');
    await expect(playground.output).toContainText('Write a limerick about lighthouses.');
    await expect(playground.stop).toBeHidden();
    await expect(playground.stats).toBeVisible();
    await expect(playground.recentRuns.getByRole('row')).toHaveCount(2);

    // Compare version 1 with version 2 on the same model and variables.
    await playground.compare.click();
    await playground.setTarget(0, { version: /^v1 ·/, model: /GPT-4\.1 nano/ });
    await playground.setTarget(1, { version: /^v2 ·/, model: /GPT-4\.1 nano/ });
    await playground.runComparison().click();
    await expect(playground.compareOutput(0)).toContainText('Write a haiku about lighthouses.');
    await expect(playground.compareOutput(1)).toContainText('Write a limerick about lighthouses.');
    await expect(playground.differences()).toBeVisible();
  });
});
