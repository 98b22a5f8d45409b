import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { LibraryPage } from '../pages/library.page';
import { seedMember, seedOwner, signInBrowser } from '../support/library-seed';

test.describe('import and export', () => {
  test('an EDITOR imports a CSV with one bad row without fixing it, finds the prompts and exports them as JSON', async ({
    page,
    request,
  }) => {
    // Upload, validation and commit jobs, two downloads and an export job on a busy machine.
    test.setTimeout(240_000);
    const owner = await seedOwner(request);
    const editor = await seedMember(request, owner, 'EDITOR');
    await signInBrowser(page, editor);

    const id = Date.now().toString(36);
    const csv = [
      'slug,title,content,tags',
      `welcome-${id},Welcome ${id},"Hello {{name}}, welcome aboard!",onboarding|mail`,
      `follow-up-${id},Follow-up ${id},Checking in with {{name}} after a week.,mail`,
      `broken-${id},Broken ${id},,`,
    ].join('\n');

    await page.goto('/transfer');
    await expect(page.getByRole('heading', { name: 'Import and export', level: 1 })).toBeVisible();
    await page.getByLabel('Choose a file to import').setInputFiles({
      name: 'prompts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });

    // The preview: the bad row first, with its error; two rows are valid.
    const summary = page.getByRole('status').filter({ hasText: 'prompts.csv' });
    await expect(summary).toContainText('Ready to import', { timeout: 60_000 });
    await expect(summary).toContainText('3 rows');
    await expect(summary).toContainText('2 valid');
    await expect(summary).toContainText('1 with errors');
    await expect(summary).toContainText('Variables found: name');
    const preview = page.getByRole('table', { name: 'Preview' });
    const bad = preview.getByRole('row').filter({ hasText: `broken-${id}` });
    await expect(bad).toContainText('content:');

    // Commit without fixing anything: the valid rows are created, the bad one is left out.
    await page.getByRole('button', { name: 'Import 2 prompts' }).click();
    await expect(summary).toContainText('Imported', { timeout: 60_000 });
    await expect(summary).toContainText('2 created');
    await expect(summary).toContainText('1 skipped');
    await expect(summary).toContainText('0 failed');
    await expect(bad).toContainText('skipped');

    // The error file names the bad row.
    const errorsDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download errors' }).click();
    const errorsFile = await errorsDownload;
    expect(errorsFile.suggestedFilename()).toBe('prompts.csv-errors.csv');
    const errorsCsv = await readFile(await errorsFile.path(), 'utf8');
    expect(errorsCsv.split(/\r?\n/)[0]).toBe('row,source,slug,title,field,message');
    expect(errorsCsv).toContain(`broken-${id}`);
    expect(errorsCsv).toContain('content');

    // The prompts are in the library.
    const library = new LibraryPage(page);
    await library.goto();
    await expect(library.promptLink(`Welcome ${id}`)).toBeVisible();
    await expect(library.promptLink(`Follow-up ${id}`)).toBeVisible();
    await expect(library.prompts.getByText(`Broken ${id}`)).toHaveCount(0);

    // Export the selection as JSON from the bulk bar and check the file.
    await page.getByRole('checkbox', { name: `Select Welcome ${id}` }).check();
    await page.getByRole('checkbox', { name: `Select Follow-up ${id}` }).check();
    await page.getByRole('group', { name: 'Bulk actions' }).getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export 2 prompts' });
    await expect(dialog).toContainText('The 2 selected prompts.');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(dialog.getByRole('status')).toContainText('Ready: 2 prompts', { timeout: 60_000 });
    const exportDownload = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download' }).click();
    const exportFile = await exportDownload;
    expect(exportFile.suggestedFilename()).toMatch(/^prompts-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(await readFile(await exportFile.path(), 'utf8')) as {
      format: string;
      prompts: { slug: string; title: string; content: string; tags: string[]; versions?: unknown[] }[];
    };
    expect(doc.format).toBe('prompt-vault/v1');
    expect(doc.prompts.map((p) => p.slug).sort()).toEqual([`follow-up-${id}`, `welcome-${id}`]);
    const welcome = doc.prompts.find((p) => p.slug === `welcome-${id}`)!;
    expect(welcome.content).toBe('Hello {{name}}, welcome aboard!');
    expect(welcome.tags.sort()).toEqual(['mail', 'onboarding']);
    expect(welcome.versions).toHaveLength(1);
  });
});
