import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { DomSanitizer, SafeHtml } from '@angular/platform-browser';
import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** Markdown to safe HTML: marked renders, DOMPurify removes scripts, handlers and foreign URLs. */
export function markdownToSafeHtml(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
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
    .markdown :is(h1, h2, h3, h4) {
      font: var(--mat-sys-title-large);
      margin: 1rem 0 0.5rem;
    }
    .markdown :is(h3, h4) {
      font: var(--mat-sys-title-medium);
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
