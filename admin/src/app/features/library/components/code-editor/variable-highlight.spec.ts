import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { variableHighlight } from './variable-highlight';

function marked(doc: string): string[] {
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  const view = new EditorView({
    parent,
    state: EditorState.create({ doc, extensions: [variableHighlight] }),
  });
  const found = Array.from(parent.querySelectorAll('.cm-pv-variable')).map((el) => el.textContent ?? '');
  view.destroy();
  parent.remove();
  return found;
}

describe('variableHighlight', () => {
  it('marks each placeholder, with or without inner whitespace', () => {
    expect(marked('Write about {{ topic }} for {{audience}}.')).toEqual(['{{ topic }}', '{{audience}}']);
  });

  it('leaves the {{{{ escape and invalid names unmarked', () => {
    expect(marked('{{{{literal}} {{bad-name}} {{ok.name}}')).toEqual(['{{ok.name}}']);
  });
});
