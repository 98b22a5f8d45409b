import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  output,
  viewChild,
} from '@angular/core';
import { markdown } from '@codemirror/lang-markdown';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, placeholder as placeholderExtension } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { variableHighlight } from './variable-highlight';

const theme = EditorView.theme({
  '&': {
    fontSize: '0.9rem',
    backgroundColor: 'var(--mat-sys-surface-container-lowest)',
    color: 'var(--mat-sys-on-surface)',
    minHeight: '18rem',
  },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace" },
  '.cm-content': { caretColor: 'var(--mat-sys-primary)', padding: '0.75rem 0' },
  '.cm-gutters': {
    backgroundColor: 'var(--mat-sys-surface-container-low)',
    color: 'var(--mat-sys-on-surface-variant)',
    border: 'none',
  },
  // CodeMirror's own grey (#888) is too faint on the surfaces (contrast 3:1; WCAG AA asks 4.5:1).
  '.cm-placeholder': { color: 'var(--mat-sys-on-surface-variant)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--mat-sys-surface-container)' },
  '&.cm-focused': { outline: '2px solid var(--mat-sys-primary)', outlineOffset: '-1px' },
  '.cm-pv-variable': {
    backgroundColor: 'var(--mat-sys-primary-container)',
    color: 'var(--mat-sys-on-primary-container)',
    borderRadius: '4px',
    fontWeight: '600',
  },
});

/**
 * CodeMirror 6 with Markdown and `{{variable}}` highlighting. The editable element carries the
 * accessible name (`label`) and is a multi-line textbox for screen readers and tests.
 */
@Component({
  selector: 'pv-code-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div #host class="host"></div>`,
  styles: `
    .host {
      border: 1px solid var(--mat-sys-outline);
      border-radius: 8px;
      overflow: hidden;
    }
  `,
})
export class CodeEditor {
  readonly value = input.required<string>();
  readonly label = input.required<string>();
  readonly placeholder = input('');
  readonly valueChange = output<string>();

  private readonly host = viewChild.required<ElementRef<HTMLElement>>('host');
  private readonly attributes = new Compartment();
  private view: EditorView | null = null;

  constructor() {
    afterNextRender(() => {
      this.view = new EditorView({
        parent: this.host().nativeElement,
        state: EditorState.create({
          doc: this.value(),
          extensions: [
            basicSetup,
            markdown(),
            EditorView.lineWrapping,
            variableHighlight,
            theme,
            placeholderExtension(this.placeholder()),
            this.attributes.of(this.contentAttributes()),
            EditorView.updateListener.of((update) => {
              if (update.docChanged) this.valueChange.emit(update.state.doc.toString());
            }),
          ],
        }),
      });
    });

    // Outside changes (loading the prompt, a reload after a conflict) replace the document.
    effect(() => {
      const value = this.value();
      const view = this.view;
      if (view && view.state.doc.toString() !== value) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
      }
    });
    effect(() => {
      const attrs = this.contentAttributes();
      this.view?.dispatch({ effects: this.attributes.reconfigure(attrs) });
    });

    inject(DestroyRef).onDestroy(() => this.view?.destroy());
  }

  private contentAttributes() {
    return EditorView.contentAttributes.of({
      'aria-label': this.label(),
      'aria-multiline': 'true',
      role: 'textbox',
    });
  }
}
