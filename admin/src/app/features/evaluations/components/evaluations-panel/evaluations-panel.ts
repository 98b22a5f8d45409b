import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, effect, inject, input } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import type { CreateEvaluationRequest } from '../../data/evaluations.api';
import { EvaluationsStore } from '../../data/evaluations.store';
import { barPercent, EvaluationCard } from '../evaluation-card/evaluation-card';
import { FocusInvalid } from '../../../../shared/forms/focus-invalid';

/** Words the evaluator reads of an output (the server refuses more; docs/playground.md). */
export const OUTPUT_WORD_LIMIT = 6000;

/**
 * The prompt page's Evaluate tab: the Evaluate action (model, optional output to judge), the
 * evaluation shown in full, and the history over time (overall score per evaluation, newest
 * first). Plan limits open the global upgrade dialog.
 */
@Component({
  selector: 'pv-evaluations-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FocusInvalid,
    ActionError,
    DatePipe,
    DecimalPipe,
    EmptyState,
    EvaluationCard,
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
  providers: [EvaluationsStore],
  templateUrl: './evaluations-panel.html',
  styleUrl: './evaluations-panel.scss',
})
export class EvaluationsPanel {
  readonly promptId = input.required<string>();
  /** The prompt's current version, the one an evaluation judges. */
  readonly version = input.required<number>();

  protected readonly store = inject(EvaluationsStore);
  protected readonly barPercent = barPercent;
  protected readonly form = new FormGroup({
    /** '' = the server's default evaluator model (EVALUATOR_MODEL). */
    model: new FormControl('', { nonNullable: true }),
    output: new FormControl('', {
      nonNullable: true,
      validators: [
        (c) =>
          (c.value as string).split(/\s+/).filter(Boolean).length > OUTPUT_WORD_LIMIT
            ? { tooLong: true }
            : null,
      ],
    }),
  });
  protected readonly outputLimit = OUTPUT_WORD_LIMIT;

  constructor() {
    effect(() => this.store.setPrompt(this.promptId()));
    this.form.controls.model.addValidators(Validators.maxLength(200));
  }

  protected async evaluate(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { model, output } = this.form.getRawValue();
    const body: CreateEvaluationRequest = { version: this.version() };
    if (model) body.model = model;
    if (output.trim()) body.output = output;
    await this.store.evaluate(body);
  }
}
