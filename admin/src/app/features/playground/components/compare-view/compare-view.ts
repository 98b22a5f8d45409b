import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatOptgroup, MatOption, MatSelect } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { SideBySideDiff } from '../../../library/components/side-by-side-diff/side-by-side-diff';
import { providerInfo } from '../../../provider-keys/data/providers';
import { CompareStore, MAX_COMPARE, MIN_COMPARE } from '../../data/compare.store';
import { PlaygroundStore } from '../../data/playground.store';
import { RunStats } from '../run-stats/run-stats';

/**
 * 2–4 targets (a version or label × a model) run on the same variables, streaming into columns
 * with tokens, cost and latency each, and a word diff of two of the outputs.
 */
@Component({
  selector: 'pv-compare-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    RouterLink,
    MatButton,
    MatIconButton,
    MatFormField,
    MatLabel,
    MatIcon,
    MatOptgroup,
    MatOption,
    MatSelect,
    SideBySideDiff,
    RunStats,
  ],
  templateUrl: './compare-view.html',
  styleUrl: './compare-view.scss',
})
export class CompareView {
  protected readonly store = inject(PlaygroundStore);
  protected readonly compare = inject(CompareStore);
  protected readonly max = MAX_COMPARE;
  protected readonly min = MIN_COMPARE;
  protected readonly providerInfo = providerInfo;
  protected readonly current = computed(() => this.store.prompt.value()?.version ?? null);

  /** A column's label for the diff's header: the version that ran and the model. */
  protected diffLabel(index: number): string {
    const column = this.compare.columns()[index];
    const run = column?.run;
    if (!run) return column?.label ?? '';
    const model = this.store.models.value()?.find((m) => m.id === run.model)?.name ?? run.model;
    return `${run.version ?? '?'} · ${model}`;
  }

  protected setDiff(side: 0 | 1, index: number): void {
    this.compare.diffPair.update((pair) => (side === 0 ? [index, pair[1]] : [pair[0], index]));
  }
}
