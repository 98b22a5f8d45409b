import {
  Decoration,
  DecorationSet,
  EditorView,
  MatchDecorator,
  ViewPlugin,
  ViewUpdate,
} from '@codemirror/view';
import { PLACEHOLDER_PATTERN } from '../../data/variables';

const variableMark = (name: string) =>
  Decoration.mark({ class: 'cm-pv-variable', attributes: { title: `Variable ${name}` } });

/** Marks every `{{name}}` placeholder (not the `{{{{` escape) with the `cm-pv-variable` class. */
const matcher = new MatchDecorator({
  regexp: new RegExp(PLACEHOLDER_PATTERN.source, 'g'),
  decorate: (add, from, to, match) => {
    if (match[1] !== undefined) add(from, to, variableMark(match[1]));
  },
});

export const variableHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;

    constructor(view: EditorView) {
      this.decorations = matcher.createDeco(view);
    }

    update(update: ViewUpdate): void {
      this.decorations = matcher.updateDeco(update, this.decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);
