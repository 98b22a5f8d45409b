import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { DecimalPipe } from '@angular/common';

export type UsageLevel = 'unlimited' | 'excluded' | 'ok' | 'near' | 'full' | 'over';

/** From this share of a limit on, the meter warns. */
export const NEAR_LIMIT = 0.8;

export function usageLevel(current: number, max: number | null): UsageLevel {
  if (max === null) return 'unlimited';
  if (max === 0) return current > 0 ? 'over' : 'excluded';
  if (current > max) return 'over';
  if (current >= max) return 'full';
  return current / max >= NEAR_LIMIT ? 'near' : 'ok';
}

/**
 * One usage figure against its plan limit: a meter (role="meter", named by its label) coloured
 * when near or at the limit, and a line that says what that means. `null` = unlimited.
 */
@Component({
  selector: 'pv-usage-meter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DecimalPipe],
  host: { class: 'usage-meter', '[attr.data-level]': 'level()' },
  template: `
    <div class="heading">
      <span class="label" [id]="labelId">{{ label() }}</span>
      <span class="figures">
        @switch (level()) {
          @case ('unlimited') {
            {{ current() | number }} · Unlimited
          }
          @case ('excluded') {
            Not included in your plan
          }
          @default {
            {{ current() | number }} of {{ max() | number }} {{ period() }}
          }
        }
      </span>
    </div>
    @if (level() !== 'unlimited' && level() !== 'excluded') {
      <div
        class="track"
        role="meter"
        [attr.aria-labelledby]="labelId"
        aria-valuemin="0"
        [attr.aria-valuemax]="max()"
        [attr.aria-valuenow]="current()"
        [attr.aria-valuetext]="current() + ' of ' + max()"
      >
        <div class="fill" [style.width.%]="percent()"></div>
      </div>
    }
    @if (hint(); as text) {
      <p class="hint">{{ text }}</p>
    }
  `,
  styleUrl: './usage-meter.scss',
})
export class UsageMeter {
  private static nextId = 0;
  protected readonly labelId = `pv-usage-meter-${UsageMeter.nextId++}`;

  readonly label = input.required<string>();
  readonly current = input.required<number>();
  /** Null: unlimited; 0: not on this plan. */
  readonly max = input.required<number | null>();
  /** What the figure counts over, e.g. "per hour"; shown after the figures. */
  readonly period = input<string | null>(null);

  protected readonly level = computed(() => usageLevel(this.current(), this.max()));
  protected readonly percent = computed(() => {
    const max = this.max();
    return max ? Math.min(100, (this.current() / max) * 100) : 0;
  });
  protected readonly hint = computed(() => {
    switch (this.level()) {
      case 'full':
        return 'Limit reached: nothing more can be added on this plan.';
      case 'over':
        return 'Over the limit: existing content stays, creation is paused.';
      case 'near':
        return 'Close to the limit.';
      default:
        return null;
    }
  });
}
