import type { AppAbility } from '../../core/auth/ability';
import type { NavItem } from '../../core/layout/nav/nav-items';

/** What choosing a command does. */
export type CommandTarget =
  { kind: 'navigate'; path: string } | { kind: 'toggle-theme' } | { kind: 'shortcuts' };

export interface Command {
  id: string;
  label: string;
  /** Where the command comes from: pages, actions, or a prompt found by search. */
  group: 'Pages' | 'Actions' | 'Prompts';
  icon: string;
  /** A second line (a prompt's slug, a shortcut). */
  hint?: string;
  target: CommandTarget;
}

/** A keyboard shortcut as the `?` sheet lists it. */
export interface Shortcut {
  keys: string[];
  description: string;
  /** Where it works. */
  where: string;
}

/** Every shortcut of the console, in one list (the sheet and the palette's hints read it). */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Ctrl', 'K'], description: 'Open the command palette', where: 'Everywhere' },
  { keys: ['?'], description: 'Show the keyboard shortcuts', where: 'Everywhere, outside text fields' },
  { keys: ['/'], description: 'Focus the search box', where: 'Everywhere, outside text fields' },
  { keys: ['Ctrl', 'Enter'], description: 'Run the prompt', where: 'Playground' },
  { keys: ['Ctrl', 'S'], description: 'Save the prompt (Cmd+S on a Mac)', where: 'Prompt editor' },
  { keys: ['Esc'], description: 'Close a dialog or the search results', where: 'Dialogs, search' },
];

/**
 * The pages the caller's role may open and the actions it may take: the same CASL ability that
 * hides navigation items hides commands.
 */
export function staticCommands(nav: readonly NavItem[], ability: AppAbility): Command[] {
  const pages: Command[] = nav
    .filter((item) => !item.requires || ability.can(item.requires.action, item.requires.subject))
    .map((item) => ({
      id: `page:${item.path}`,
      label: item.label,
      group: 'Pages',
      icon: item.icon,
      target: { kind: 'navigate', path: item.path },
    }));
  const actions: Command[] = [];
  if (ability.can('create', 'Prompt'))
    actions.push({
      id: 'action:new-prompt',
      label: 'New prompt',
      group: 'Actions',
      icon: 'add',
      target: { kind: 'navigate', path: '/prompts/new' },
    });
  actions.push(
    {
      id: 'action:theme',
      label: 'Switch light / dark theme',
      group: 'Actions',
      icon: 'dark_mode',
      target: { kind: 'toggle-theme' },
    },
    {
      id: 'action:shortcuts',
      label: 'Keyboard shortcuts',
      group: 'Actions',
      icon: 'menu',
      hint: '?',
      target: { kind: 'shortcuts' },
    },
  );
  return [...pages, ...actions];
}

/**
 * How well `query` matches `label` (higher is better), or -1: every query character must appear
 * in order; a match at the start or at a word start, and consecutive characters, score more.
 */
export function matchScore(label: string, query: string): number {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const text = label.toLowerCase();
  if (text.startsWith(q)) return 1000 - text.length;
  const at = text.indexOf(q);
  if (at >= 0) return (/\W/.test(text[at - 1] ?? ' ') ? 800 : 600) - at;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    if (char === ' ') continue;
    const found = text.indexOf(char, from);
    if (found < 0) return -1;
    score += found === previous + 1 ? 10 : /\W/.test(text[found - 1] ?? ' ') ? 8 : 1;
    previous = found;
    from = found + 1;
  }
  return score;
}

/** The commands that match, best first (ties keep their order); all of them for an empty query. */
export function filterCommands(commands: readonly Command[], query: string): Command[] {
  if (!query.trim()) return [...commands];
  return commands
    .map((command, index) => ({ command, index, score: matchScore(command.label, query) }))
    .filter((m) => m.score >= 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((m) => m.command);
}
