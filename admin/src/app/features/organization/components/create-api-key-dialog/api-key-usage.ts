import { Clipboard } from '@angular/cdk/clipboard';
import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltip } from '@angular/material/tooltip';

/** Where the API's Swagger UI is served (bootstrap.ts: `SwaggerModule.setup('api/docs', …)`). */
export const API_DOCS_PATH = '/api/docs';
/** A placeholder the reader replaces with one of their prompts' slugs. */
const SLUG = 'your-prompt-slug';

/** The runtime fetch with curl (`X-API-Key` authenticates an API key). */
export function curlExample(origin: string, key: string): string {
  return `curl -H "X-API-Key: ${key}" \\\n  "${origin}/api/v1/prompts/by-slug/${SLUG}?label=production"`;
}

/** The same fetch with the TypeScript SDK (sdk/README.md, "Quick start"). */
export function sdkExample(origin: string): string {
  return [
    `import { PromptVault } from '@prompt-vault/sdk';`,
    ``,
    `const vault = new PromptVault({`,
    `  baseUrl: '${origin}',`,
    `  apiKey: process.env.PROMPT_VAULT_API_KEY,`,
    `});`,
    `const prompt = await vault.getPrompt('${SLUG}', { label: 'production' });`,
    `const text = prompt.render({ /* the prompt's variables */ });`,
  ].join('\n');
}

/**
 * How to use a new API key: a curl and an SDK example of the runtime fetch of a prompt's
 * production version, and the link to the API reference. Shown with the key, once.
 */
@Component({
  selector: 'pv-api-key-usage',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIconButton, MatIcon, MatTooltip],
  template: `
    <h3 class="heading">Use it</h3>
    <p class="hint">Fetch the production version of a prompt by its slug:</p>
    @for (snippet of snippets(); track snippet.label) {
      <figure class="snippet">
        <figcaption>
          <span>{{ snippet.label }}</span>
          <button
            mat-icon-button
            type="button"
            [attr.aria-label]="'Copy ' + snippet.label + ' example'"
            [matTooltip]="'Copy ' + snippet.label + ' example'"
            (click)="copy(snippet.label, snippet.code)"
          >
            <mat-icon svgIcon="content_copy" aria-hidden="true" />
          </button>
        </figcaption>
        <pre [attr.aria-label]="snippet.label + ' example'"><code>{{ snippet.code }}</code></pre>
      </figure>
    }
    <p class="hint">
      Every endpoint, with its parameters and answers:
      <a [href]="docsPath" target="_blank" rel="noopener">API documentation</a>.
    </p>
  `,
  styles: `
    :host {
      display: block;
    }
    .heading {
      margin: 0.5rem 0 0;
      font: var(--mat-sys-title-small);
    }
    .hint {
      margin: 0.25rem 0;
      color: var(--mat-sys-on-surface-variant);
    }
    .snippet {
      margin: 0.5rem 0;
    }
    figcaption {
      display: flex;
      align-items: center;
      justify-content: space-between;
      font: var(--mat-sys-label-medium);
    }
    pre {
      margin: 0;
      padding: 0.5rem 0.75rem;
      overflow-x: auto;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-surface-container-high);
      font:
        0.8125rem / 1.45 ui-monospace,
        SFMono-Regular,
        Menlo,
        Consolas,
        monospace;
    }
  `,
})
export class ApiKeyUsage {
  readonly apiKey = input.required<string>();
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);
  private readonly origin = inject(DOCUMENT).location.origin;
  protected readonly docsPath = API_DOCS_PATH;

  protected readonly snippets = computed(() => [
    { label: 'curl', code: curlExample(this.origin, this.apiKey()) },
    { label: 'TypeScript SDK', code: sdkExample(this.origin) },
  ]);

  protected copy(label: string, code: string): void {
    const copied = this.clipboard.copy(code);
    this.snackBar.open(
      copied ? `${label} example copied` : 'Copying failed; select the text and copy it',
      undefined,
      {
        duration: 3000,
      },
    );
  }
}
