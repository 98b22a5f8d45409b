import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { PromptVariable } from '../../data/library.types';
import {
  diffVariables,
  VARIABLE_FIELD_LABELS,
  VARIABLE_FIELDS,
  VariableChange,
} from '../../data/variables-diff';

const CHANGE_TEXT: Record<VariableChange, string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  unchanged: 'Unchanged',
};

/**
 * The variables of two versions as a table of fields, one row per variable, added, removed and
 * changed rows marked with old → new values; unchanged variables are folded behind a button.
 */
@Component({
  selector: 'pv-variables-diff',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton],
  templateUrl: './variables-diff.html',
  styleUrl: './variables-diff.scss',
})
export class VariablesDiff {
  readonly before = input.required<readonly PromptVariable[]>();
  readonly after = input.required<readonly PromptVariable[]>();
  readonly fromLabel = input.required<string | number>();
  readonly toLabel = input.required<string | number>();

  protected readonly fields = VARIABLE_FIELDS;
  protected readonly fieldLabels = VARIABLE_FIELD_LABELS;
  protected readonly changeText = CHANGE_TEXT;
  protected readonly showUnchanged = signal(false);

  private readonly rows = computed(() => diffVariables(this.before(), this.after()));
  protected readonly unchangedCount = computed(
    () => this.rows().filter((r) => r.change === 'unchanged').length,
  );
  protected readonly visibleRows = computed(() =>
    this.showUnchanged() ? this.rows() : this.rows().filter((r) => r.change !== 'unchanged'),
  );
  protected readonly summary = computed(() => {
    const count = (change: VariableChange) => this.rows().filter((r) => r.change === change).length;
    const parts = [
      [count('added'), 'added'],
      [count('removed'), 'removed'],
      [count('changed'), 'changed'],
    ] as const;
    return parts
      .filter(([n]) => n > 0)
      .map(([n, what]) => `${n} ${what}`)
      .join(', ');
  });
}
