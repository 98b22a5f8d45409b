import {
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  Pipe,
  PipeTransform,
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

/**
 * The words of a Markdown text without its syntax (`**contract**` → `contract`), on one line: for
 * the one-line summaries of a card or a result list, where a rendered block would not fit. The
 * parsing happens in an inert template, so nothing in the text loads or runs.
 */
export function markdownToPlainText(text: string): string {
  const template = document.createElement('template');
  template.innerHTML = markdownToSafeHtml(text);
  return (template.content.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** `{{ prompt.description | markdownText }}`: see markdownToPlainText. */
@Pipe({ name: 'markdownText' })
export class MarkdownTextPipe implements PipeTransform {
  transform(text: string | null | undefined): string {
    return text ? markdownToPlainText(text) : '';
  }
}

/** Renders user-written Markdown (prompt content, comments) after sanitizing it with DOMPurify. */
@Component({
  selector: 'pv-markdown',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Not emulated: the rendered elements come from innerHTML and carry no _ngcontent attribute, so
  // the rules are scoped by the pv-markdown element instead.
  encapsulation: ViewEncapsulation.None,
  templateUrl: './markdown.html',
  styleUrl: './markdown.scss',
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
