import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  linkedSignal,
  signal,
  viewChildren,
} from '@angular/core';
import { MatDialogRef } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { NAV_ITEMS } from '../../core/layout/nav/nav-items';
import { SessionStore } from '../../core/session/session.store';
import { QuickSearchStore } from '../search/data/quick-search.store';
import { Command, filterCommands, staticCommands } from './commands';

/**
 * The command palette (Ctrl/Cmd+K): one field that jumps to a page, takes an action or opens a
 * prompt found by search. Arrow keys move, Enter chooses, Escape closes; the list is an ARIA
 * listbox driven from the field (`aria-activedescendant`), so focus never leaves the field.
 * Closes with the chosen command; `CommandPalette` carries it out.
 */
@Component({
  selector: 'pv-command-palette-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIcon],
  // Its own instance: the search stream ends when the palette closes.
  providers: [QuickSearchStore],
  templateUrl: './command-palette-dialog.html',
  styleUrl: './command-palette-dialog.scss',
})
export class CommandPaletteDialog {
  private readonly ref = inject<MatDialogRef<CommandPaletteDialog, Command>>(MatDialogRef);
  private readonly session = inject(SessionStore);
  /** The toolbar search box's instant search (debounced, newest text wins, not recorded). */
  private readonly search = inject(QuickSearchStore);
  private readonly options = viewChildren<ElementRef<HTMLElement>>('option');

  protected readonly query = signal('');
  protected readonly searching = computed(() => this.search.instant().status === 'loading');
  /** The prompts found; the previous ones stay while a newer search is on its way. */
  private readonly prompts = linkedSignal<ReturnType<QuickSearchStore['instant']>, Command[]>({
    source: this.search.instant,
    computation: (state, previous) => {
      if (state.status === 'loading') return previous?.value ?? [];
      // The pages and actions still answer when search cannot.
      if (state.status !== 'done') return [];
      return state.hits.map<Command>((hit) => ({
        id: `prompt:${hit.id}`,
        label: hit.title,
        hint: hit.slug,
        group: 'Prompts',
        icon: 'library_books',
        target: { kind: 'navigate', path: `/prompts/${hit.id}` },
      }));
    },
  });

  private readonly fixed = computed(() => staticCommands(NAV_ITEMS, this.session.ability()));
  protected readonly results = computed(() => [
    ...filterCommands(this.fixed(), this.query()),
    ...this.prompts(),
  ]);
  /** The highlighted option: back to the first on typing, kept within the list as results arrive. */
  protected readonly active = linkedSignal<Command[], number>({
    source: this.results,
    computation: (results, previous) => Math.min(previous?.value ?? 0, Math.max(results.length - 1, 0)),
  });

  protected optionId(index: number): string {
    return `pv-command-${index}`;
  }

  protected onInput(value: string): void {
    this.query.set(value);
    this.active.set(0);
    // Prompts are searched only for members who may read them.
    this.search.type(this.session.can('read', 'Prompt') ? value : '');
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.results().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!count) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active.set((this.active() + step + count) % count);
      this.options()[this.active()]?.nativeElement.scrollIntoView?.({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const command = this.results()[this.active()];
      if (command) this.choose(command);
    }
  }

  protected choose(command: Command): void {
    this.ref.close(command);
  }

  /** The group heading shown above the first command of each group. */
  protected startsGroup(index: number): boolean {
    const list = this.results();
    return index === 0 || list[index - 1].group !== list[index].group;
  }
}
