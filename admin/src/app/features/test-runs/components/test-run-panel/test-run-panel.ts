import { CurrencyPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { SessionStore } from '../../../../core/session/session.store';
import { TestRunStore } from '../../data/test-run.store';
import { CreateTestRunRequest } from '../../data/test-runs.api';
import { ASSERTION_LABELS } from '../assertions-editor/assertions-editor';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

/** The most models one test run covers (the API's limit). */
export const MAX_MODELS = 4;

/**
 * Starts a test run of the prompt's saved test cases (models, and a version or a label), shows its
 * progress while the job runs, and its results per case × model with each assertion's outcome and
 * the cost. Shows the prompt's latest test run when it opens.
 */
@Component({
  selector: 'pv-test-run-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [TestRunStore],
  imports: [
    FocusInvalid,
    CurrencyPipe,
    MatButton,
    MatFormField,
    MatHint,
    MatIcon,
    MatInput,
    MatLabel,
    MatOption,
    MatProgressBar,
    MatSelect,
    ReactiveFormsModule,
  ],
  templateUrl: './test-run-panel.html',
  styleUrl: './test-run-panel.scss',
})
export class TestRunPanel implements OnInit {
  readonly promptId = input.required<string>();
  readonly versions = input<readonly { version: number; title: string }[]>([]);

  protected readonly store = inject(TestRunStore);
  private readonly session = inject(SessionStore);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly canRun = computed(() => this.session.can('create', 'Run'));
  protected readonly labels = ASSERTION_LABELS;
  protected readonly maxModels = MAX_MODELS;
  protected readonly form = this.fb.group({
    models: this.fb.control<string[]>([]),
    /** 0: the current version. */
    version: this.fb.control(0),
    label: this.fb.control(''),
  });

  ngOnInit(): void {
    void this.store.load(this.promptId());
  }

  protected async start(): Promise<void> {
    const { models, version, label } = this.form.getRawValue();
    if (!models.length) return;
    const request: CreateTestRunRequest = { models };
    if (label.trim()) request.label = label.trim();
    else if (version) request.version = version;
    await this.store.start(this.promptId(), request);
  }

  protected statusText(status: string): string {
    return { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' }[status] ?? status;
  }
}
