import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  OnInit,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  FormControl,
  FormRecord,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatInput } from '@angular/material/input';
import { MatOptgroup, MatOption, MatSelect } from '@angular/material/select';
import { filter, Observable, switchMap } from 'rxjs';
import { ConfirmDialog, ConfirmDialogData } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { describeError } from '../../data/errors';
import { RunTarget, TestCase } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { coerceValues } from '../../data/variables';
import { AssertionsEditor } from '../../../test-runs/components/assertions-editor/assertions-editor';
import { TestRunPanel } from '../../../test-runs/components/test-run-panel/test-run-panel';
import { Assertion } from '../../../test-runs/data/test-runs.api';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

/** `current`, `v:3` or `label:production` as the run request's target. */
export function parseTarget(value: string): RunTarget {
  if (value.startsWith('v:')) return { version: Number(value.slice(2)) };
  if (value.startsWith('label:')) return { label: value.slice(6) };
  return {};
}

/** Saved test cases of the prompt: create, edit, delete and run them against a version or a label. */
@Component({
  selector: 'pv-test-cases-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    MatError,
    FocusInvalid,
    AssertionsEditor,
    MatButton,
    MatFormField,
    MatHint,
    MatIcon,
    MatIconButton,
    MatInput,
    MatLabel,
    MatOptgroup,
    MatOption,
    MatSelect,
    ReactiveFormsModule,
    TestRunPanel,
  ],
  templateUrl: './test-cases-panel.html',
  styleUrl: './test-cases-panel.scss',
})
export class TestCasesPanel implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  private readonly fb = inject(NonNullableFormBuilder);

  /** Whether the test case form is open, and which case it edits (null: a new one). */
  protected readonly open = signal(false);
  private editingId: string | null = null;
  protected readonly form = this.fb.group({
    // Required and not just spaces: an empty save turns the field red and focuses it (FocusInvalid).
    name: ['', [Validators.required, Validators.pattern(/\S/)]],
    values: new FormRecord<FormControl<string>>({}),
    expectedContains: [''],
  });
  /** The case's assertions on model outputs (test runs), edited beside the form. */
  protected readonly assertions = signal<Assertion[]>([]);
  protected readonly assertionsEditor = viewChild(AssertionsEditor);
  protected readonly error = signal<string | null>(null);
  /** What the cases run against: `current`, `v:<number>` or `label:<name>` (one select for all three). */
  protected readonly runTarget = this.fb.control('current');
  private readonly runTargetValue = toSignal(this.runTarget.valueChanges, {
    initialValue: this.runTarget.value,
  });
  protected readonly variables = computed(() => this.store.prompt()?.variables ?? []);
  /** The prompt's release labels with the version each points at, by name. */
  protected readonly labels = computed(() =>
    Object.entries(this.store.prompt()?.labels ?? {})
      .map(([label, version]) => ({ label, version }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  );
  /** The version a chosen label points at now (the run reports the one it actually used). */
  protected readonly labelVersion = computed(() => {
    const target = parseTarget(this.runTargetValue());
    return target.label !== undefined ? (this.store.prompt()?.labels[target.label] ?? null) : null;
  });

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
    this.openForm(null, { name: '', values: {}, expectedContains: '', assertions: [] });
  }

  protected edit(testCase: TestCase): void {
    this.openForm(testCase.id, {
      name: testCase.name,
      values: Object.fromEntries(Object.entries(testCase.variables).map(([k, v]) => [k, String(v)])),
      expectedContains: testCase.expectedContains ?? '',
      assertions: testCase.assertions,
    });
  }

  protected close(): void {
    this.open.set(false);
  }

  protected save(): void {
    const { name, values, expectedContains } = this.form.getRawValue();
    if (this.form.invalid || this.assertionsEditor()?.invalid()) return;
    const input = {
      name: name.trim(),
      variables: coerceValues(this.variables(), values),
      expectedContains: expectedContains.trim() || null,
      assertions: this.assertions(),
    };
    this.store
      .saveTestCase(input, this.editingId ?? undefined)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.close(),
        error: (error: unknown) => this.error.set(describeError(error, 'The test case could not be saved')),
      });
  }

  protected run(testCase: TestCase): void {
    this.runs(this.store.runTestCases([testCase.id], parseTarget(this.runTarget.value)));
  }

  protected runAll(): void {
    this.runs(this.store.runTestCases(undefined, parseTarget(this.runTarget.value)));
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
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe();
  }

  /** Results land in the store; a failed run is reported by the error notifier. */
  private runs(request: Observable<unknown>): void {
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe();
  }

  /** One text field per variable of the prompt, filled with the case's values. */
  private openForm(
    id: string | null,
    value: {
      name: string;
      values: Record<string, string>;
      expectedContains: string;
      assertions: Assertion[];
    },
  ): void {
    const values = new FormRecord<FormControl<string>>({});
    for (const variable of this.variables()) {
      values.addControl(variable.name, this.fb.control(value.values[variable.name] ?? ''));
    }
    this.form.setControl('values', values);
    this.form.patchValue({ name: value.name, expectedContains: value.expectedContains });
    this.assertions.set(value.assertions);
    this.editingId = id;
    this.error.set(null);
    this.open.set(true);
  }
}
