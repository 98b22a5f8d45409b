import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatCard, MatCardContent } from '@angular/material/card';
import { AnalyticsSummary } from '../../data/analytics.types';
import { Change, changeVsPrevious, formatMetric, formatUsd } from '../../data/chart-data';

export interface TotalCard {
  label: string;
  value: string;
  change: Change;
}

/** The period's totals, each with its change against the previous period of the same length. */
export function totalCards(summary: AnalyticsSummary): TotalCard[] {
  const p = summary.previous;
  const tokens = summary.inputTokens + summary.outputTokens;
  return [
    {
      label: 'Runs',
      value: formatMetric(summary.runs, 'runs'),
      change: changeVsPrevious(summary.runs, p.runs),
    },
    {
      label: 'Fetches',
      value: formatMetric(summary.fetches, 'fetches'),
      change: changeVsPrevious(summary.fetches, p.fetches),
    },
    {
      label: 'Tokens',
      value: formatMetric(tokens, 'tokens'),
      change: changeVsPrevious(tokens, p.inputTokens + p.outputTokens),
    },
    {
      label: 'Cost',
      value: formatUsd(summary.costUsd),
      change: changeVsPrevious(summary.costUsd, p.costUsd),
    },
    {
      label: 'Active users',
      value: formatMetric(summary.activeUsers, 'runs'),
      change: changeVsPrevious(summary.activeUsers, p.activeUsers),
    },
    {
      label: 'Prompts created',
      value: formatMetric(summary.promptsCreated, 'runs'),
      change: changeVsPrevious(summary.promptsCreated, p.promptsCreated),
    },
  ];
}

/** The totals row of the dashboard. */
@Component({
  selector: 'pv-totals-cards',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatCard, MatCardContent],
  template: `
    <ul class="cards" aria-label="Totals for the period">
      @for (card of cards(); track card.label) {
        <li>
          <mat-card appearance="outlined">
            <mat-card-content>
              <p class="label">{{ card.label }}</p>
              <p class="value">{{ card.value }}</p>
              <p class="change" [attr.data-direction]="card.change.direction">
                <span aria-hidden="true">{{ arrows[card.change.direction] }}</span>
                {{ card.change.text }}
              </p>
            </mat-card-content>
          </mat-card>
        </li>
      }
    </ul>
  `,
  styles: `
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
      gap: 0.75rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .label {
      margin: 0;
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    .value {
      margin: 0.25rem 0;
      font: var(--mat-sys-headline-small);
    }
    .change {
      margin: 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class TotalsCards {
  readonly summary = input.required<AnalyticsSummary>();
  protected readonly cards = computed(() => totalCards(this.summary()));
  protected readonly arrows = { up: '▲', down: '▼', flat: '■' } as const;
}
