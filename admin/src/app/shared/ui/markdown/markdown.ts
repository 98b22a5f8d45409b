import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { DomSanitizer, SafeHtml } from '@angular/platform-browser';
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/**
 * User Markdown sits inside a page that has its own h1 and h2, so its headings start at h3
 * (`#` → h3, capped at h6) and the page outline stays valid for screen readers.
 */
const HEADING_OFFSET = 2;

const markdown = new Marked({
  async: false,
  gfm: true,
  breaks: false,
  walkTokens: (token) => {
    if (token.type === 'heading') token.depth = Math.min(6, token.depth + HEADING_OFFSET);
  },
});

/** Markdown to safe HTML: marked renders, DOMPurify removes scripts, handlers and foreign URLs. */
export function markdownToSafeHtml(text: string): string {
  const html = markdown.parse(text, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

/** Renders user-written Markdown (prompt content, comments) after sanitizing it with DOMPurify. */
@Component({
  selector: 'pv-markdown',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="markdown" [innerHTML]="html()"></div>`,
  styles: `
    .markdown {
      overflow-wrap: anywhere;
      line-height: 1.6;
    }
    .markdown :is(h3, h4, h5, h6) {
      font: var(--mat-sys-title-medium);
      margin: 1rem 0 0.5rem;
    }
    .markdown h3 {
      font: var(--mat-sys-title-large);
    }
    .markdown :first-child {
      margin-top: 0;
    }
    .markdown :last-child {
      margin-bottom: 0;
    }
    .markdown code {
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      background: var(--mat-sys-surface-container-high);
      border-radius: 4px;
      padding: 0.1em 0.3em;
    }
    .markdown pre {
      background: var(--mat-sys-surface-container-high);
      border-radius: 8px;
      padding: 0.75rem 1rem;
      overflow: auto;
    }
    .markdown pre code {
      background: none;
      padding: 0;
    }
    .markdown blockquote {
      margin: 0.5rem 0;
      padding-left: 1rem;
      border-left: 3px solid var(--mat-sys-outline-variant);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class Markdown {
  private readonly sanitizer = inject(DomSanitizer);
  readonly content = input.required<string>();

  // DOMPurify already sanitized it; Angular's own pass would only strip harmless markup again.
  protected readonly html = computed<SafeHtml>(() =>
    this.sanitizer.bypassSecurityTrustHtml(markdownToSafeHtml(this.content())),
  );
}
