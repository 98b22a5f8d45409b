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
  template: `
    <div class="header">
      <mat-form-field subscriptSizing="dynamic" class="version">
        <mat-label>Run against</mat-label>
        <mat-select [value]="runVersion()" (valueChange)="runVersion.set($event)">
          <mat-option [value]="0">Current version</mat-option>
          @for (v of store.versions(); track v.version) {
            <mat-option [value]="v.version">v{{ v.version }} · {{ v.title }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <span class="spacer"></span>
      @if (store.testCases().length > 0) {
        <button mat-stroked-button type="button" (click)="runAll()">
          <mat-icon svgIcon="play_arrow" aria-hidden="true" /> Run all
        </button>
      }
      @if (store.permissions().manageTestCases && !draft()) {
        <button mat-flat-button type="button" (click)="startNew()">
          <mat-icon svgIcon="add" aria-hidden="true" /> New test case
        </button>
      }
    </div>

    @if (draft(); as d) {
      <form class="editor" aria-label="Test case" (submit)="$event.preventDefault(); save()">
        <mat-form-field>
          <mat-label>Name</mat-label>
          <input matInput required [value]="d.name" (input)="patch({ name: $any($event.target).value })" />
        </mat-form-field>
        @for (variable of variables(); track variable.name) {
          <mat-form-field>
            <mat-label>{{ variable.name }}</mat-label>
            <input
              matInput
              [value]="d.values[variable.name] ?? ''"
              (input)="patchValue(variable.name, $any($event.target).value)"
            />
            <mat-hint>{{ variable.type }}{{ variable.required ? ', required' : '' }}</mat-hint>
          </mat-form-field>
        }
        <mat-form-field>
          <mat-label>Expected text (optional)</mat-label>
          <input
            matInput
            [value]="d.expectedContains"
            (input)="patch({ expectedContains: $any($event.target).value })"
          />
          <mat-hint>The test passes when the rendered prompt contains it</mat-hint>
        </mat-form-field>
        @if (error(); as message) {
          <p class="fail" role="alert">{{ message }}</p>
        }
        <div class="actions">
          <button mat-button type="button" (click)="draft.set(null)">Cancel</button>
          <button mat-flat-button type="submit" [disabled]="!d.name.trim()">Save test case</button>
        </div>
      </form>
    }

    <ul class="cases" aria-label="Test cases">
      @for (testCase of store.testCases(); track testCase.id) {
        <li class="case">
          <div class="main">
            <span class="name">{{ testCase.name }}</span>
            <span class="muted">
              {{ describeValues(testCase) }}
              @if (testCase.expectedContains) {
                · expects “{{ testCase.expectedContains }}”
              }
            </span>
            @if (store.runs()[testCase.id]; as run) {
              <span class="result" [class.pass]="run.passed" [class.fail]="!run.passed" role="status">
                <mat-icon [svgIcon]="run.passed ? 'check_circle' : 'cancel'" aria-hidden="true" />
                {{ run.passed ? 'Passed' : 'Failed' }} on v{{ run.version }}
                @if (run.errors.length) {
                  — {{ errorText(run.errors) }}
                }
              </span>
              @if (run.rendered) {
                <pre class="rendered">{{ run.rendered }}</pre>
              }
            }
          </div>
          <button mat-button type="button" (click)="run(testCase)" [attr.aria-label]="'Run ' + testCase.name">
            <mat-icon svgIcon="play_arrow" aria-hidden="true" /> Run
          </button>
          @if (store.permissions().manageTestCases) {
            <button
              mat-icon-button
              type="button"
              (click)="edit(testCase)"
              [attr.aria-label]="'Edit ' + testCase.name"
            >
              <mat-icon svgIcon="edit" aria-hidden="true" />
            </button>
            <button
              mat-icon-button
              type="button"
              (click)="remove(testCase)"
              [attr.aria-label]="'Delete ' + testCase.name"
            >
              <mat-icon svgIcon="delete" aria-hidden="true" />
            </button>
          }
        </li>
      } @empty {
        <li class="muted">
          No test cases yet. A test case saves variable values and the text the result should contain.
        </li>
      }
    </ul>
  `,
  styles: `
    .header,
    .actions {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      margin-bottom: 1rem;
    }
    .version {
      width: 16rem;
    }
    .spacer {
      flex: 1;
    }
    .editor {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
      gap: 0.25rem 1rem;
      padding: 1rem;
      margin-bottom: 1rem;
      border-radius: 12px;
      background: var(--mat-sys-surface-container-low);
    }
    .actions {
      grid-column: 1 / -1;
      justify-content: flex-end;
      margin: 0;
    }
    .cases {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 0.5rem;
    }
    .case {
      display: flex;
      align-items: flex-start;
      gap: 0.25rem;
      padding: 0.75rem;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
    }
    .main {
      flex: 1;
      display: grid;
      gap: 0.25rem;
      min-width: 0;
    }
    .name {
      font: var(--mat-sys-title-small);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .result {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
      font: var(--mat-sys-label-large);
    }
    .pass {
      color: #1b873f;
    }
    .fail {
      color: var(--mat-sys-error);
    }
    .rendered {
      margin: 0;
      white-space: pre-wrap;
      font-size: 0.8125rem;
      padding: 0.5rem;
      border-radius: 8px;
      background: var(--mat-sys-surface-container);
    }
  `,
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
