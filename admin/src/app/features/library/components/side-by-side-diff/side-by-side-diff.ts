import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { diffStats, toSideBySide } from '../../data/diff-rows';
import { DiffHunk } from '../../data/library.types';

/** One field's hunks as two aligned columns: the older version left, the newer right. */
@Component({
  selector: 'pv-side-by-side-diff',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="diff">
      <caption>
        {{
          caption()
        }}
        <span class="stats">
          <span class="ins">+{{ stats().inserted }}</span>
          <span class="del">−{{ stats().deleted }}</span>
        </span>
      </caption>
      <colgroup>
        <col class="num-col" />
        <col />
        <col class="num-col" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col" colspan="2">Version {{ fromLabel() }}</th>
          <th scope="col" colspan="2">Version {{ toLabel() }}</th>
        </tr>
      </thead>
      <tbody>
        @for (row of rows(); track $index) {
          <tr [class.changed]="row.changed">
            <td class="num">{{ row.left.number ?? '' }}</td>
            <td class="cell" [class.filler]="row.left.number === null">
              @for (s of row.left.segments; track $index) {
                @if (s.op === 'delete') {
                  <del>{{ s.text }}</del>
                } @else {
                  <span>{{ s.text }}</span>
                }
              }
            </td>
            <td class="num">{{ row.right.number ?? '' }}</td>
            <td class="cell" [class.filler]="row.right.number === null">
              @for (s of row.right.segments; track $index) {
                @if (s.op === 'insert') {
                  <ins>{{ s.text }}</ins>
                } @else {
                  <span>{{ s.text }}</span>
                }
              }
            </td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .diff {
      width: 100%;
      border-collapse: collapse;
      table-layout: fixed;
      font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
      font-size: 0.8125rem;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
    }
    caption {
      text-align: left;
      font: var(--mat-sys-title-small);
      padding: 0.5rem 0;
    }
    .stats {
      margin-left: 0.5rem;
      font: var(--mat-sys-label-medium);
    }
    .ins {
      color: #1b873f;
      margin-right: 0.35rem;
    }
    .del {
      color: var(--mat-sys-error);
    }
    th {
      text-align: left;
      padding: 0.35rem 0.5rem;
      background: var(--mat-sys-surface-container);
      font: var(--mat-sys-label-large);
    }
    .num-col {
      width: 3rem;
    }
    .num {
      text-align: right;
      padding: 0 0.5rem;
      color: var(--mat-sys-on-surface-variant);
      vertical-align: top;
      user-select: none;
    }
    .cell {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      padding: 0.1rem 0.5rem;
      vertical-align: top;
    }
    .filler {
      background: var(--mat-sys-surface-container-high);
    }
    tr.changed .cell:not(.filler) {
      background: var(--mat-sys-surface-container-low);
    }
    del {
      background: color-mix(in srgb, var(--mat-sys-error) 22%, transparent);
      text-decoration: line-through;
    }
    ins {
      background: color-mix(in srgb, #1b873f 25%, transparent);
      text-decoration: none;
    }
  `,
})
export class SideBySideDiff {
  readonly hunks = input.required<DiffHunk[]>();
  readonly caption = input.required<string>();
  readonly fromLabel = input.required<string | number>();
  readonly toLabel = input.required<string | number>();

  protected readonly rows = computed(() => toSideBySide(this.hunks()));
  protected readonly stats = computed(() => diffStats(this.hunks()));
}
