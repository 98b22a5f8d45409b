import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { AuditPage } from '../pages/audit.page';
import { seedMember, seedOwner, seedPrompt, signInBrowser } from '../support/library-seed';

test.describe('audit log', () => {
  test('an ADMIN filters the audit log, verifies its integrity and exports it', async ({ page, request }) => {
    test.slow();
    const owner = await seedOwner(request, 'Auditor');
    const admin = await seedMember(request, owner, 'ADMIN');
    await seedPrompt(request, owner, { title: 'Refund policy', content: 'Explain the refund policy.' });
    await seedPrompt(request, owner, { title: 'Welcome mail', content: 'Welcome {{name}}.' });
    await signInBrowser(page, admin);

    const audit = new AuditPage(page);
    await audit.goto();
    await expect(audit.events.nth(1)).toBeVisible();

    // Only prompt events.
    await audit.filterByAction('prompt.*');
    await expect.poll(() => audit.actions()).toEqual(['prompt.created', 'prompt.created']);

    // The chain is intact.
    await audit.verify.click();
    await expect(audit.verdict).toContainText(/Intact: \d+ events checked/);

    // The JSON Lines export of the filtered events ends with the signed manifest.
    const download = page.waitForEvent('download');
    await audit.exportJsonl.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.jsonl$/);
    const lines = (await readFile(await file.path(), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, -1).map((l) => l['action'])).toEqual(['prompt.created', 'prompt.created']);
    expect(lines.at(-1)).toMatchObject({ manifest: { count: 2 }, signature: expect.any(String) });
  });
});
