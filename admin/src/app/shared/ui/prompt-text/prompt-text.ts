import { booleanAttribute, ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { Markdown } from '../markdown/markdown';

/** A piece of prompt text: literal text, or a `{{name}}` placeholder to highlight. */
export interface PromptSegment {
  text: string;
  variable: boolean;
}

/** `{{name}}`, or the `{{{{` escape of a literal `{{` (matched so its tail is not taken for a name). */
const PLACEHOLDER = /\{\{\{\{|\{\{\s*[A-Za-z0-9_.]+\s*\}\}/g;

/** Splits prompt text into literal runs and `{{variables}}`; the text itself is never altered. */
export function promptSegments(content: string): PromptSegment[] {
  const segments: PromptSegment[] = [];
  let last = 0;
  for (const match of content.matchAll(PLACEHOLDER)) {
    if (match[0] === '{{{{') continue;
    if (match.index > last) segments.push({ text: content.slice(last, match.index), variable: false });
    segments.push({ text: match[0], variable: true });
    last = match.index + match[0].length;
  }
  if (last < content.length) segments.push({ text: content.slice(last), variable: false });
  return segments;
}

export type PromptTextMode = 'text' | 'rendered';

/**
 * Prompt content as the model receives it: verbatim, monospace, line breaks and XML-like tags kept,
 * `{{variables}}` highlighted. With `renderable`, a "Text / Rendered" toggle shows it as Markdown
 * on request (descriptions and comments use `pv-markdown` directly).
 */
@Component({
  selector: 'pv-prompt-text',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Markdown, MatButtonToggle, MatButtonToggleGroup],
  template: `
    @if (renderable()) {
      <mat-button-toggle-group
        class="mode"
        [value]="mode()"
        (change)="mode.set($event.value)"
        [attr.aria-label]="'Show ' + label() + ' as'"
        hideSingleSelectionIndicator
      >
        <mat-button-toggle value="text">Text</mat-button-toggle>
        <mat-button-toggle value="rendered">Rendered</mat-button-toggle>
      </mat-button-toggle-group>
    }
    @if (mode() === 'rendered' && renderable()) {
      <pv-markdown [content]="content()" highlightVariables />
    } @else {
      <pre
        class="prompt-text"
        tabindex="0"
        [attr.aria-label]="label()"
      >@for (segment of segments(); track $index){<span [class.pv-var]="segment.variable">{{ segment.text }}</span>}</pre>
    }
  `,
  styles: `
    :host {
      display: block;
      min-width: 0;
    }
    .mode {
      margin-bottom: 0.75rem;
    }
    .prompt-text {
      margin: 0;
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      font-size: 0.875rem;
      line-height: 1.6;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .pv-var {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      border-radius: 4px;
      padding: 0 0.2em;
      font-weight: 600;
    }
  `,
})
export class PromptText {
  readonly content = input.required<string>();
  /** Offer the "Rendered" (Markdown) view beside the verbatim text. */
  readonly renderable = input(false, { transform: booleanAttribute });
  /** Accessible name of the text block. */
  readonly label = input('Prompt content');
  readonly mode = signal<PromptTextMode>('text');

  protected readonly segments = computed(() => promptSegments(this.content()));
}
