import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Run } from '../../data/playground.api';

/** Tokens, cost and latency of a finished run, as the provider reported them. */
@Component({
  selector: 'pv-run-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  template: `
    <dl class="stats" aria-label="Run statistics">
      <div>
        <dt>Tokens</dt>
        <dd>{{ run().usage.inputTokens | number }} in · {{ run().usage.outputTokens | number }} out</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>\${{ run().costUsd | number: '1.2-6' }}</dd>
      </div>
      <div>
        <dt>Latency</dt>
        <dd>{{ run().latencyMs / 1000 | number: '1.1-2' }} s</dd>
      </div>
      @if (run().status === 'canceled') {
        <div>
          <dt>Status</dt>
          <dd>Stopped</dd>
        </div>
      }
    </dl>
  `,
  styles: `
    .stats {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1.5rem;
      margin: 0;
    }
    dt {
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      font: var(--mat-sys-body-medium);
    }
  `,
})
export class RunStats {
  readonly run = input.required<Run>();
}
