import { readFile } from 'node:fs/promises';
import { APIRequestContext, expect, test } from '@playwright/test';
import { AnalyticsPage } from '../pages/analytics.page';
import { SeededSession, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

const DAY_MS = 86_400_000;

/** An API key of the owner's organization (`POST /organizations/:id/api-keys`). */
async function apiKey(request: APIRequestContext, owner: SeededSession): Promise<string> {
  const response = await request.post(`/api/v1/organizations/${owner.organizationId}/api-keys`, {
    headers: { authorization: `Bearer ${owner.accessToken}` },
    data: { name: 'usage reporter' },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

/** Reports LLM calls made with a fetched prompt, as a customer's code does (`POST /usage`, API key). */
async function reportUsage(
  request: APIRequestContext,
  key: string,
  events: { promptId: string; daysAgo: number; costUsd: number }[],
): Promise<void> {
  const now = Date.now();
  const response = await request.post('/api/v1/usage', {
    headers: { 'x-api-key': key },
    data: {
      events: events.map((e, i) => ({
        promptId: e.promptId,
        model: 'gpt-4o-mini',
        inputTokens: 300,
        outputTokens: 100,
        latencyMs: 420,
        status: 'success',
        costUsd: e.costUsd,
        // Midday of that UTC day, so the event sits well inside the day whatever the clock.
        occurredAt: new Date(
          Math.floor((now - e.daysAgo * DAY_MS) / DAY_MS) * DAY_MS + DAY_MS / 2,
        ).toISOString(),
        idempotencyKey: `e2e-analytics-${now}-${i}`,
      })),
    },
  });
  expect(response.status(), await response.text()).toBe(202);
  expect(await response.json()).toMatchObject({ accepted: events.length, rejected: [] });
}

test.describe('analytics dashboard', () => {
  test('an OWNER sees a seeded month, narrows the range and downloads the CSV report', async ({
    page,
    request,
  }) => {
    test.slow();
    const owner = await seedOwner(request, 'Analyst');
    const summarize = await seedPrompt(request, owner, {
      title: 'Summarize ticket',
      content: 'Summarize this support ticket: {{ticket}}',
    });
    const translate = await seedPrompt(request, owner, {
      title: 'Translate reply',
      content: 'Translate this reply to {{language}}.',
    });
    const key = await apiKey(request, owner);
    // A month of usage: three calls three weeks ago, two in the last days.
    await reportUsage(request, key, [
      { promptId: summarize.id, daysAgo: 20, costUsd: 0.5 },
      { promptId: summarize.id, daysAgo: 20, costUsd: 0.5 },
      { promptId: translate.id, daysAgo: 19, costUsd: 0.5 },
      { promptId: summarize.id, daysAgo: 2, costUsd: 0.25 },
      { promptId: translate.id, daysAgo: 1, costUsd: 0.25 },
    ]);

    await signInBrowser(page, owner);
    const analytics = new AnalyticsPage(page);
    await analytics.goto();

    // The last 30 days (the default range): every call.
    await expect(analytics.card('Runs')).toContainText(/Runs\s*5\b/);
    await expect(analytics.card('Cost')).toContainText('$2.00');
    const top = await analytics.asTable('Top prompts');
    await expect(top.getByRole('row', { name: /Summarize ticket/ })).toContainText('3');
    await expect(top.getByRole('row', { name: /Translate reply/ })).toContainText('2');

    // The last 7 days: the range is in the URL, the totals and the charts follow.
    await analytics.chooseRange('Last 7 days');
    await expect(page).toHaveURL(/[?&]range=7d\b/);
    await expect(analytics.card('Runs')).toContainText(/Runs\s*2\b/);
    await expect(analytics.card('Cost')).toContainText('$0.50');
    const series = await analytics.asTable('Usage over time');
    // One call on each of two days (whether or not the API lists the days without usage).
    const days = series.getByRole('row').filter({ has: page.getByRole('cell', { name: '1', exact: true }) });
    await expect(days).toHaveCount(2);
    await expect(analytics.panel(/^Top prompts/).getByRole('table')).not.toContainText('3');

    // The report of that range as CSV.
    const download = page.waitForEvent('download');
    await analytics.exportCsv.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile(await file.path(), 'utf8');
    expect(csv).toContain('Summarize ticket');
    expect(csv).toContain('Translate reply');
  });

  test('an organization without usage gets an explanation instead of empty charts', async ({
    page,
    request,
  }) => {
    const owner = await seedOwner(request, 'Newcomer');
    await signInBrowser(page, owner);
    const analytics = new AnalyticsPage(page);
    await analytics.goto();
    await expect(page.getByRole('heading', { name: 'No usage in this period' })).toBeVisible();
    await expect(analytics.totals).toHaveCount(0);
  });
});
