import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { diffStats, toSideBySide } from '../../data/diff-rows';
import { DiffHunk } from '../../data/library.types';

/** One field's hunks as two aligned columns: the older version left, the newer right. */
@Component({
  selector: 'pv-side-by-side-diff',
  changeDetection: ChangeDetectionStrategy.OnPush,
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
}
