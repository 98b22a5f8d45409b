import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTooltip } from '@angular/material/tooltip';
import { diffStats, toSideBySide } from '../../data/diff-rows';
import { DiffHunk } from '../../data/library.types';

/** One field's hunks as two aligned columns: the older version left, the newer right. */
@Component({
  selector: 'pv-side-by-side-diff',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTooltip],
  templateUrl: './side-by-side-diff.html',
  styleUrl: './side-by-side-diff.scss',
})
export class SideBySideDiff {
  readonly hunks = input.required<DiffHunk[]>();
  readonly caption = input.required<string>();
  readonly fromLabel = input.required<string | number>();
  readonly toLabel = input.required<string | number>();

  protected readonly rows = computed(() => toSideBySide(this.hunks()));
  protected readonly stats = computed(() => diffStats(this.hunks()));
  /** The counts in words, for the tooltip and screen readers ("+122 −7" alone says nothing). */
  protected readonly statsText = computed(() => {
    const { inserted, deleted } = this.stats();
    return `${inserted} ${inserted === 1 ? 'character' : 'characters'} added, ${deleted} removed`;
  });
}
