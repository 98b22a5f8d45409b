import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';
import { filter, switchMap } from 'rxjs';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { describeError } from '../../data/errors';
import { TestCase } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { coerceValues, VariableValues } from '../../data/variables';

interface Draft {
  id: string | null;
  name: string;
  values: VariableValues;
  expectedContains: string;
}

/** Saved test cases of the prompt: create, edit, delete and run them against a chosen version. */
@Component({
  selector: 'pv-test-cases-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatButton,
    MatFormField,
    MatHint,
    MatIcon,
    MatIconButton,
    MatInput,
    MatLabel,
    MatOption,
    MatSelect,
  ],
  templateUrl: './test-cases-panel.html',
  styleUrl: './test-cases-panel.scss',
})
export class TestCasesPanel implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  private readonly dialog = inject(MatDialog);

  protected readonly draft = signal<Draft | null>(null);
  protected readonly error = signal<string | null>(null);
  /** 0 stands for the current version (mat-select shows no selection for null). */
  protected readonly runVersion = signal(0);
  protected readonly variables = computed(() => this.store.prompt()?.variables ?? []);

  ngOnInit(): void {
    this.store.loadTestCases();
    if (this.store.versions().length === 0) this.store.loadVersions();
  }

  protected describeValues(testCase: TestCase): string {
    const entries = Object.entries(testCase.variables);
    return entries.length
      ? entries.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', ')
      : 'No variables';
  }

  protected errorText(errors: { message: string }[]): string {
    return errors.map((e) => e.message).join('; ');
  }

  protected startNew(): void {
    this.error.set(null);
    this.draft.set({ id: null, name: '', values: {}, expectedContains: '' });
  }

  protected edit(testCase: TestCase): void {
    this.error.set(null);
    this.draft.set({
      id: testCase.id,
      name: testCase.name,
      values: Object.fromEntries(Object.entries(testCase.variables).map(([k, v]) => [k, String(v)])),
      expectedContains: testCase.expectedContains ?? '',
    });
  }

  protected patch(patch: Partial<Draft>): void {
    this.draft.update((d) => (d ? { ...d, ...patch } : d));
  }

  protected patchValue(name: string, value: string): void {
    this.draft.update((d) => (d ? { ...d, values: { ...d.values, [name]: value } } : d));
  }

  protected save(): void {
    const d = this.draft();
    if (!d) return;
    const input = {
      name: d.name.trim(),
      variables: coerceValues(this.variables(), d.values),
      expectedContains: d.expectedContains.trim() || null,
    };
    this.store.saveTestCase(input, d.id ?? undefined).subscribe({
      next: () => this.draft.set(null),
      error: (error: unknown) => this.error.set(describeError(error, 'The test case could not be saved')),
    });
  }

  protected run(testCase: TestCase): void {
    this.store.runTestCases([testCase.id], this.runVersion() || undefined).subscribe();
  }

  protected runAll(): void {
    this.store.runTestCases(undefined, this.runVersion() || undefined).subscribe();
  }

  protected remove(testCase: TestCase): void {
    const data: ConfirmDialogData = {
      title: `Delete “${testCase.name}”?`,
      message: 'The test case and its variable values are deleted.',
      confirm: 'Delete',
      destructive: true,
    };
    this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(
        filter((yes) => yes === true),
        switchMap(() => this.store.deleteTestCase(testCase.id)),
      )
      .subscribe();
  }
}
