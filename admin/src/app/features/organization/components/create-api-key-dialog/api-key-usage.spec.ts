import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { getByRole } from '../../../../../testing/test-helpers';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { ApiKeyUsage, curlExample, sdkExample } from './api-key-usage';

const KEY = 'pv_live_0123456789abcdef';

async function render() {
  const copy = vi.fn().mockReturnValue(true);
  TestBed.configureTestingModule({
    imports: [ApiKeyUsage],
    providers: [
      provideAppIcons(),
      { provide: Clipboard, useValue: { copy } },
      { provide: MatSnackBar, useValue: { open: vi.fn() } },
    ],
  });
  const fixture = TestBed.createComponent(ApiKeyUsage);
  fixture.componentRef.setInput('apiKey', KEY);
  await fixture.whenStable();
  return { root: fixture.nativeElement as HTMLElement, copy };
}

describe('ApiKeyUsage', () => {
  it('shows a curl example of the runtime fetch with the new key, an SDK snippet and the API docs link', async () => {
    const { root } = await render();
    const origin = window.location.origin;
    const curl = root.querySelector('pre[aria-label="curl example"]')!.textContent;
    expect(curl).toContain(`-H "X-API-Key: ${KEY}"`);
    expect(curl).toContain(`${origin}/api/v1/prompts/by-slug/your-prompt-slug?label=production`);
    const sdk = root.querySelector('pre[aria-label="TypeScript SDK example"]')!.textContent;
    expect(sdk).toContain(`import { PromptVault } from '@prompt-vault/sdk';`);
    expect(sdk).toContain(`baseUrl: '${origin}'`);
    expect(sdk).toContain(`vault.getPrompt('your-prompt-slug', { label: 'production' })`);
    // The SDK snippet reads the key from the environment rather than embedding the secret.
    expect(sdk).not.toContain(KEY);
    const docs = getByRole(root, 'link', 'API documentation');
    expect(docs.getAttribute('href')).toBe('/api/docs');
    expect(docs.getAttribute('target')).toBe('_blank');
  });

  it('copies each example', async () => {
    const { root, copy } = await render();
    getByRole(root, 'button', 'Copy curl example').click();
    expect(copy).toHaveBeenCalledWith(curlExample(window.location.origin, KEY));
    getByRole(root, 'button', 'Copy TypeScript SDK example').click();
    expect(copy).toHaveBeenCalledWith(sdkExample(window.location.origin));
  });
});
