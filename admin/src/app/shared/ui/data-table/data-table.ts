import { NgTemplateOutlet } from '@angular/common';
import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  contentChild,
  contentChildren,
  Directive,
  ElementRef,
  inject,
  input,
  OnInit,
  TemplateRef,
} from '@angular/core';
import { MatColumnDef, MatTable, MatTableModule } from '@angular/material/table';
import { Skeleton } from '../skeleton/skeleton';

/** The buttons of one row, e.g. `<ng-template pvRowActions let-member>…</ng-template>`. */
@Directive({ selector: 'ng-template[pvRowActions]' })
export class RowActions {
  readonly template = inject<TemplateRef<{ $implicit: unknown }>>(TemplateRef);
}

/**
 * Hands the page's projected column definitions to the table before its first render: a Material
 * table only finds the definitions written inside it, and projected ones are not.
 */
@Directive({ selector: 'table[pvColumnDefs]' })
export class ColumnDefs implements OnInit {
  readonly defs = input.required<readonly MatColumnDef[]>({ alias: 'pvColumnDefs' });
  private readonly table = inject(MatTable);

  ngOnInit(): void {
    for (const def of this.defs()) this.table.addColumnDef(def);
  }
}

/**
 * The console's list table: an outlined, horizontally scrolling Material table named by `label`,
 * with the page's own `matColumnDef`s projected in, an actions column at the end when a
 * `pvRowActions` template is given, and the list's states — skeleton rows while `loading`, the
 * `failedText` alert when loading failed, the projected `[pvTableEmpty]` when there are no rows.
 * On a phone (below 600px) each row stacks its cells, each under its column's name, so no column
 * (a member's role) is cut off and the page never scrolls sideways.
 */
@Component({
  selector: 'pv-data-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Skeleton, MatTableModule, NgTemplateOutlet, ColumnDefs],
  templateUrl: './data-table.html',
  styleUrl: './data-table.scss',
})
export class DataTable {
  /** The table's accessible name, e.g. "Members". */
  readonly label = input.required<string>();
  /** The rows; `undefined` while nothing has loaded yet. */
  readonly rows = input.required<readonly unknown[] | undefined>();
  /** The data columns in order (the actions column comes after them). */
  readonly columns = input.required<readonly string[]>();
  readonly loading = input(false);
  /** The loading skeleton's accessible name, e.g. "Loading members". */
  readonly loadingLabel = input('Loading');
  readonly failed = input(false);
  readonly failedText = input('The list could not be loaded.');

  protected readonly actions = contentChild(RowActions);
  protected readonly columnDefs = contentChildren(MatColumnDef);
  protected readonly shownColumns = computed(() =>
    this.actions() ? [...this.columns(), 'actions'] : [...this.columns()],
  );
  protected readonly data = computed(() => [...(this.rows() ?? [])]);

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  constructor() {
    // Stacked rows show each cell's column name (a CSS ::before of data-label) once the rows render.
    afterRenderEffect(() => {
      this.data();
      this.shownColumns();
      const table = this.host.nativeElement.querySelector('table');
      if (!table) return;
      const names = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() ?? '');
      for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
        Array.from(row.children).forEach((cell, index) => {
          const name = names[index] ?? '';
          if (name && name !== 'Actions') cell.setAttribute('data-label', name);
        });
      }
    });
  }
}
