import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatTableModule } from '@angular/material/table';
import { getByRole, queryAllByRole } from '../../../../testing/test-helpers';
import { DataTable, RowActions } from './data-table';

interface Person {
  name: string;
  email: string;
}

@Component({
  selector: 'pv-test-people',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DataTable, RowActions, MatTableModule],
  template: `
    <pv-data-table
      label="People"
      [rows]="rows()"
      [columns]="['name', 'email']"
      [loading]="loading()"
      loadingLabel="Loading people"
      [failed]="failed()"
      failedText="The people could not be loaded."
    >
      <p pvTableEmpty>Nobody here yet.</p>
      <ng-container matColumnDef="name">
        <th mat-header-cell *matHeaderCellDef>Name</th>
        <td mat-cell *matCellDef="let person">{{ person.name }}</td>
      </ng-container>
      <ng-container matColumnDef="email">
        <th mat-header-cell *matHeaderCellDef>E-mail</th>
        <td mat-cell *matCellDef="let person">{{ person.email }}</td>
      </ng-container>
      <ng-template pvRowActions let-person>
        <button type="button" [attr.aria-label]="'Remove ' + person.name" (click)="removed.push(person.name)">
          x
        </button>
      </ng-template>
    </pv-data-table>
  `,
})
class People {
  readonly rows = signal<Person[] | undefined>(undefined);
  readonly loading = signal(false);
  readonly failed = signal(false);
  readonly removed: string[] = [];
}

async function render() {
  const fixture = TestBed.createComponent(People);
  await fixture.whenStable();
  const set = async (change: (people: People) => void) => {
    change(fixture.componentInstance);
    await fixture.whenStable();
  };
  return { root: fixture.nativeElement as HTMLElement, people: fixture.componentInstance, set };
}

describe('DataTable (pv-data-table)', () => {
  it('shows the rows in a named table, the actions last under a hidden "Actions" header', async () => {
    const { root, people, set } = await render();
    await set((p) =>
      p.rows.set([
        { name: 'Ada', email: 'ada@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ]),
    );
    const table = getByRole(root, 'table', 'People');
    const headers = queryAllByRole(table, 'columnheader').map((h) => h.textContent?.trim());
    expect(headers).toEqual(['Name', 'E-mail', 'Actions']);
    const rows = queryAllByRole(table, 'row');
    expect(rows).toHaveLength(3);
    expect(rows[2].textContent).toContain('bob@example.com');
    getByRole(rows[2], 'button', 'Remove Bob').click();
    expect(people.removed).toEqual(['Bob']);
  });

  it('shows the empty content, and no table, when there are no rows', async () => {
    const { root, set } = await render();
    expect(root.textContent).not.toContain('Nobody here yet.');
    await set((p) => p.rows.set([]));
    expect(root.textContent).toContain('Nobody here yet.');
    expect(queryAllByRole(root, 'table')).toHaveLength(0);
  });

  it('shows a named progress bar while loading, above rows already shown', async () => {
    const { root, set } = await render();
    await set((p) => {
      p.rows.set([{ name: 'Ada', email: 'ada@example.com' }]);
      p.loading.set(true);
    });
    expect(getByRole(root, 'progressbar', 'Loading people')).toBeTruthy();
    expect(getByRole(root, 'table', 'People')).toBeTruthy();
  });

  it('says when loading failed instead of showing the table', async () => {
    const { root, set } = await render();
    await set((p) => {
      p.rows.set([{ name: 'Ada', email: 'ada@example.com' }]);
      p.failed.set(true);
    });
    expect(getByRole(root, 'alert').textContent?.trim()).toBe('The people could not be loaded.');
    expect(queryAllByRole(root, 'table')).toHaveLength(0);
  });
});
