import { ChangeDetectionStrategy, Component, computed, input, linkedSignal, output } from '@angular/core';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import type { ChartData, ChartOptions, ChartType } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';

/** Which element of a chart was clicked: the x (or category) index and the series. */
export interface ChartPick {
  index: number;
  datasetIndex: number;
}

let nextId = 0;

/**
 * A dashboard panel: a heading, the panel's own controls (projected), and a chart with a "Table"
 * toggle that shows the same numbers as a table (projected `[pvChartTable]`). The canvas carries
 * `role="img"` and a sentence describing the data for screen readers; a click on a bar or
 * segment is reported as `pick` (the drill-down).
 */
@Component({
  selector: 'pv-chart-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatCard,
    MatCardContent,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatProgressBar,
    BaseChartDirective,
  ],
  template: `
    <mat-card appearance="outlined" class="panel">
      <mat-card-content>
        <header class="head">
          <h2 class="heading" [id]="headingId">{{ heading() }}</h2>
          <div class="controls"><ng-content select="[pvChartControls]" /></div>
          <mat-button-toggle-group
            class="view"
            hideSingleSelectionIndicator
            [attr.aria-label]="heading() + ': view as'"
            [value]="view()"
            (change)="view.set($event.value)"
          >
            <mat-button-toggle value="chart">Chart</mat-button-toggle>
            <mat-button-toggle value="table">Table</mat-button-toggle>
          </mat-button-toggle-group>
        </header>
        @if (loading()) {
          <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Loading ' + heading()" />
        }
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        } @else if (empty()) {
          <p class="muted">{{ emptyText() }}</p>
        } @else if (view() === 'chart') {
          <div class="canvas" [style.height.px]="height()">
            <canvas
              baseChart
              role="img"
              [attr.aria-label]="description()"
              [type]="type()"
              [data]="data()"
              [options]="options()"
              (chartClick)="clicked($event.active)"
            ></canvas>
          </div>
          @if (hint()) {
            <p class="muted hint">{{ hint() }}</p>
          }
        } @else {
          <div class="table" role="region" [attr.aria-labelledby]="headingId" tabindex="0">
            <ng-content select="[pvChartTable]" />
          </div>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .panel {
      height: 100%;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      margin-bottom: 0.75rem;
    }
    .heading {
      margin: 0;
      font: var(--mat-sys-title-medium);
      flex: 1 1 auto;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .canvas {
      position: relative;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .hint {
      margin: 0.5rem 0 0;
      font: var(--mat-sys-body-small);
    }
    .error {
      color: var(--mat-sys-error);
    }
    .table {
      overflow-x: auto;
    }
  `,
})
export class ChartPanel {
  readonly heading = input.required<string>();
  /** What the chart shows, in one sentence (the canvas's accessible name). */
  readonly description = input.required<string>();
  readonly type = input.required<ChartType>();
  readonly data = input.required<ChartData>();
  readonly options = input<ChartOptions>({});
  readonly height = input(280);
  readonly loading = input(false);
  readonly error = input<string | null>(null);
  readonly emptyText = input('No usage in this period');
  /** Under the chart, e.g. what a click opens. */
  readonly hint = input<string | null>(null);
  /** The view shown first (a table in tests and for users who asked for tables). */
  readonly initialView = input<'chart' | 'table'>('chart');
  readonly pick = output<ChartPick>();

  protected readonly headingId = `pv-chart-panel-${nextId++}`;
  protected readonly view = linkedSignal<'chart' | 'table'>(() => this.initialView());
  protected readonly empty = computed(() => {
    const data = this.data();
    return !this.loading() && (data.datasets.length === 0 || data.datasets.every((d) => d.data.length === 0));
  });

  protected clicked(active: object[] | undefined): void {
    const element = active?.[0] as { index?: number; datasetIndex?: number } | undefined;
    if (element?.index === undefined) return;
    this.pick.emit({ index: element.index, datasetIndex: element.datasetIndex ?? 0 });
  }
}
