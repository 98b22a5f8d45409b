import {
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  ViewEncapsulation,
} from '@angular/core';
import { DomSanitizer, SafeHtml } from '@angular/platform-browser';
import DOMPurify from 'dompurify';
import { Marked, Tokens } from 'marked';

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
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      heading.depth = Math.min(6, heading.depth + HEADING_OFFSET);
    }
  },
});

/** Markdown to safe HTML: marked renders, DOMPurify removes scripts, handlers and foreign URLs. */
export function markdownToSafeHtml(text: string): string {
  const html = markdown.parse(text, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

/** `{{name}}`, or the `{{{{` escape of a literal `{{` (matched so its tail is not taken for a name). */
const PLACEHOLDER = /\{\{\{\{|\{\{\s*[A-Za-z0-9_.]+\s*\}\}/g;

/**
 * Wraps `{{name}}` placeholders in text (not in code) with `<span class="pv-var">`, working on
 * the sanitized DOM so no markup is ever built from strings.
 */
export function highlightPlaceholders(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest('code, pre')) texts.push(node as Text);
  }
  for (const text of texts) {
    const value = text.data;
    const matches = [...value.matchAll(PLACEHOLDER)].filter((m) => m[0] !== '{{{{');
    if (matches.length === 0) continue;
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of matches) {
      fragment.append(value.slice(last, match.index));
      const span = document.createElement('span');
      span.className = 'pv-var';
      span.textContent = match[0];
      fragment.append(span);
      last = match.index + match[0].length;
    }
    fragment.append(value.slice(last));
    text.replaceWith(fragment);
  }
  return template.innerHTML;
}

/** Renders user-written Markdown (prompt content, comments) after sanitizing it with DOMPurify. */
@Component({
  selector: 'pv-markdown',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Not emulated: the rendered elements come from innerHTML and carry no _ngcontent attribute, so
  // the rules are scoped by the pv-markdown element instead.
  encapsulation: ViewEncapsulation.None,
  template: `<div class="markdown" [innerHTML]="html()"></div>`,
  styles: `
    pv-markdown .markdown {
      overflow-wrap: anywhere;
      line-height: 1.6;
    }
    pv-markdown .markdown :is(h3, h4, h5, h6) {
      font: var(--mat-sys-title-medium);
      margin: 1rem 0 0.5rem;
    }
    pv-markdown .markdown h3 {
      font: var(--mat-sys-title-large);
    }
    pv-markdown .markdown :first-child {
      margin-top: 0;
    }
    pv-markdown .markdown :last-child {
      margin-bottom: 0;
    }
    pv-markdown .markdown code {
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      background: var(--mat-sys-surface-container-high);
      border-radius: 4px;
      padding: 0.1em 0.3em;
    }
    pv-markdown .markdown pre {
      background: var(--mat-sys-surface-container-high);
      border-radius: 8px;
      padding: 0.75rem 1rem;
      overflow: auto;
    }
    pv-markdown .markdown pre code {
      background: none;
      padding: 0;
    }
    pv-markdown .markdown .pv-var {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      border-radius: 4px;
      padding: 0 0.2em;
      font-weight: 600;
    }
    pv-markdown .markdown blockquote {
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
  /** Marks `{{variables}}` (prompt content; not comments). */
  readonly highlightVariables = input(false, { transform: booleanAttribute });

  // DOMPurify already sanitized it; Angular's own pass would only strip harmless markup again.
  protected readonly html = computed<SafeHtml>(() => {
    const html = markdownToSafeHtml(this.content());
    return this.sanitizer.bypassSecurityTrustHtml(
      this.highlightVariables() ? highlightPlaceholders(html) : html,
    );
  });
}
