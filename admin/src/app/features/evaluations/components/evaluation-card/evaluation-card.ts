import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Evaluation, EvaluationScores } from '../../data/evaluations.api';

/** The five metrics in the evaluator's order, with the names the product uses. */
export const METRICS: readonly { key: keyof EvaluationScores; label: string }[] = [
  { key: 'relevance', label: 'Relevance & Fidelity' },
  { key: 'clarity', label: 'Clarity & Structure' },
  { key: 'depth', label: 'Depth & Insight' },
  { key: 'creativity', label: 'Creativity & Originality' },
  { key: 'robustness', label: 'Adaptability Across Versions' },
];

/** A score 1–5 as the width of its bar (1 → 20 %, 5 → 100 %). */
export const barPercent = (score: number) => Math.max(0, Math.min(100, score * 20));

/**
 * One evaluation in full: the five scores as bars, the overall score, and what the server shaped
 * (strengths and what the prompt does well when excellent; else an overview, suggestions with
 * examples and the ambiguities noted).
 */
@Component({
  selector: 'pv-evaluation-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe],
  templateUrl: './evaluation-card.html',
  styleUrl: './evaluation-card.scss',
})
export class EvaluationCard {
  readonly evaluation = input.required<Evaluation>();

  protected readonly metrics = METRICS;
  protected readonly bars = computed(() =>
    METRICS.map((m) => {
      const score = this.evaluation().scores[m.key];
      return { ...m, score, percent: barPercent(score), low: score < 4 };
    }),
  );
}
