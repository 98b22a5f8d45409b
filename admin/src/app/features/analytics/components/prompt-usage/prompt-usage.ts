import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { MatCard, MatCardContent } from '@angular/material/card';
import { addDays, isoDay, periodOf } from '../../data/dashboard-state';
import { formatUsd } from '../../data/format';
import { PromptUsageStore } from '../../data/prompt-usage.store';
import { dailySeries, sparkline } from './sparkline';

/** How many days the prompt page's sparkline covers (ending today, UTC). */
export const USAGE_DAYS = 30;
const WIDTH = 240;
const HEIGHT = 48;

/**
 * A prompt's usage and cost over the last 30 days (runs, fetches, cost and a sparkline of runs per
 * day), for every member who can see the prompt. No chart library: an inline SVG with a table
 * behind a disclosure for screen readers and keyboard users.
 */
@Component({
  selector: 'pv-prompt-usage',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe, MatCard, MatCardContent],
  providers: [PromptUsageStore],
  template: `
    <mat-card appearance="outlined" class="usage">
      <mat-card-content>
        <h2 class="heading">Usage, last {{ days }} days</h2>
        @if (usage.hasValue()) {
          @let u = usage.value();
          <dl class="totals">
            <div>
              <dt>Runs</dt>
              <dd>{{ u.runs | number }}</dd>
            </div>
            <div>
              <dt>Fetches</dt>
              <dd>{{ u.fetches | number }}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{{ format(u.costUsd) }}</dd>
            </div>
          </dl>
          <svg
            class="spark"
            [attr.viewBox]="'0 0 ' + width + ' ' + height"
            preserveAspectRatio="none"
            role="img"
            [attr.aria-label]="description()"
          >
            @if (line().points) {
              <polygon class="area" [attr.points]="line().area" />
              <polyline class="line" [attr.points]="line().points" />
            }
          </svg>
          <details>
            <summary>Runs and cost per day</summary>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Runs</th>
                  <th scope="col">Cost</th>
                </tr>
              </thead>
              <tbody>
                @for (d of table(); track d.day) {
                  <tr>
                    <th scope="row">{{ d.day }}</th>
                    <td>{{ d.runs | number }}</td>
                    <td>{{ format(d.cost) }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </details>
        } @else if (usage.error()) {
          <p class="muted">Usage is not available right now.</p>
        } @else {
          <p class="muted">Loading usage…</p>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .heading {
      margin: 0 0 0.5rem;
      font: var(--mat-sys-title-small);
    }
    .totals {
      display: flex;
      gap: 1.5rem;
      margin: 0 0 0.5rem;
      dt {
        font: var(--mat-sys-label-medium);
        color: var(--mat-sys-on-surface-variant);
      }
      dd {
        margin: 0;
        font: var(--mat-sys-title-medium);
      }
    }
    .spark {
      display: block;
      width: 100%;
      height: 48px;
    }
    .line {
      fill: none;
      stroke: var(--mat-sys-primary);
      stroke-width: 1.5;
      vector-effect: non-scaling-stroke;
    }
    .area {
      fill: var(--mat-sys-primary);
      opacity: 0.12;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    details {
      margin-top: 0.5rem;
      font: var(--mat-sys-body-small);
    }
    .data th,
    .data td {
      padding: 0.125rem 0.5rem;
      text-align: right;
      font-weight: normal;
    }
  `,
})
export class PromptUsage {
  private readonly store = inject(PromptUsageStore);
  readonly promptId = input.required<string>();
  /** Today, for the period's last day (tests fix it). */
  readonly now = input<Date>(new Date());

  protected readonly days = USAGE_DAYS;
  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly format = formatUsd;

  private readonly range = computed(() => {
    const to = isoDay(this.now());
    return { from: addDays(to, -(USAGE_DAYS - 1)), to };
  });

  protected readonly usage = this.store.usage;

  constructor() {
    effect(() => this.store.show(this.promptId(), periodOf(this.range())));
  }

  protected readonly table = computed(() => {
    if (!this.usage.hasValue()) return [];
    const points = this.usage.value().points;
    const runs = dailySeries(points, this.range().from, USAGE_DAYS, (p) => p.runs);
    const cost = dailySeries(points, this.range().from, USAGE_DAYS, (p) => p.costUsd);
    return runs.map((r, i) => ({ day: r.day, runs: r.value, cost: cost[i].value }));
  });

  protected readonly line = computed(() =>
    sparkline(
      this.table().map((d) => d.runs),
      WIDTH,
      HEIGHT,
    ),
  );

  protected readonly description = computed(() => {
    const rows = this.table();
    const total = rows.reduce((sum, r) => sum + r.runs, 0);
    if (total === 0) return `No runs in the last ${USAGE_DAYS} days`;
    const peak = rows.reduce((a, b) => (b.runs > a.runs ? b : a));
    return `Runs per day over the last ${USAGE_DAYS} days: ${total} in total, most on ${peak.day} (${peak.runs})`;
  });
}
