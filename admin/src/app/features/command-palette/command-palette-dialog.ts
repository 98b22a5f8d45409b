import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  signal,
  viewChildren,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatDialogRef } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { catchError, debounceTime, distinctUntilChanged, map, of, switchMap } from 'rxjs';
import { NAV_ITEMS } from '../../core/layout/nav/nav-items';
import { SessionStore } from '../../core/session/session.store';
import { EMPTY_SEARCH } from '../search/data/search-url';
import { SearchApi } from '../search/data/search.api';
import { Command, filterCommands, staticCommands } from './commands';

/** Prompts the palette shows for a query. */
export const PROMPT_RESULTS = 6;
/** Typing pause before prompts are searched. */
export const SEARCH_DEBOUNCE_MS = 150;

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
  templateUrl: './command-palette-dialog.html',
  styleUrl: './command-palette-dialog.scss',
})
export class CommandPaletteDialog {
  private readonly ref = inject<MatDialogRef<CommandPaletteDialog, Command>>(MatDialogRef);
  private readonly session = inject(SessionStore);
  private readonly searchApi = inject(SearchApi);
  private readonly options = viewChildren<ElementRef<HTMLElement>>('option');

  protected readonly query = signal('');
  protected readonly active = signal(0);
  protected readonly searching = signal(false);
  private readonly prompts = signal<Command[]>([]);

  private readonly fixed = computed(() => staticCommands(NAV_ITEMS, this.session.ability()));
  protected readonly results = computed(() => [
    ...filterCommands(this.fixed(), this.query()),
    ...this.prompts(),
  ]);

  constructor() {
    toObservable(this.query)
      .pipe(
        map((q) => q.trim()),
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        switchMap((q) => {
          if (!q || !this.session.can('read', 'Prompt')) return of<Command[]>([]);
          this.searching.set(true);
          return this.searchApi.search({ ...EMPTY_SEARCH, q }, { limit: PROMPT_RESULTS, record: false }).pipe(
            map((res) =>
              res.items.map<Command>((hit) => ({
                id: `prompt:${hit.id}`,
                label: hit.title,
                hint: hit.slug,
                group: 'Prompts',
                icon: 'library_books',
                target: { kind: 'navigate', path: `/prompts/${hit.id}` },
              })),
            ),
            // The pages and actions still answer when search cannot.
            catchError(() => of<Command[]>([])),
          );
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((prompts) => {
        this.searching.set(false);
        this.prompts.set(prompts);
        this.active.set(Math.min(this.active(), Math.max(this.results().length - 1, 0)));
      });
  }

  protected optionId(index: number): string {
    return `pv-command-${index}`;
  }

  protected onInput(value: string): void {
    this.query.set(value);
    this.active.set(0);
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
