import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** The shape of what is loading: text lines, a grid of cards, or the rows of a table or list. */
export type SkeletonVariant = 'lines' | 'cards' | 'rows';

/**
 * A placeholder in the shape of the content that is loading, instead of a blank area. It is a
 * progress indicator for assistive technology (`role="progressbar"` named by `label`) and shimmers
 * only when the user has not asked for reduced motion.
 */
@Component({
  selector: 'pv-skeleton',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'progressbar',
    'aria-busy': 'true',
    '[attr.aria-label]': 'label()',
    '[attr.data-variant]': 'variant()',
    class: 'pv-skeleton',
  },
  template: `
    @switch (variant()) {
      @case ('cards') {
        <div class="cards">
          @for (i of items(); track i) {
            <div class="card" data-skeleton-item>
              <span class="bone title"></span>
              <span class="bone line"></span>
              <span class="bone line short"></span>
              <span class="chips"><span class="bone chip"></span><span class="bone chip"></span></span>
            </div>
          }
        </div>
      }
      @case ('rows') {
        <div class="rows">
          @for (i of items(); track i) {
            <div class="row" data-skeleton-item>
              <span class="bone cell wide"></span>
              <span class="bone cell"></span>
              <span class="bone cell narrow"></span>
              <span class="bone cell narrow"></span>
            </div>
          }
        </div>
      }
      @default {
        <div class="lines">
          @for (i of items(); track i) {
            <span class="bone line" data-skeleton-item [class.short]="$last && i > 0"></span>
          }
        </div>
      }
    }
  `,
  styles: `
    :host {
      display: block;
      --pv-skeleton-bone: color-mix(in srgb, var(--mat-sys-on-surface) 9%, transparent);
      --pv-skeleton-shine: color-mix(in srgb, var(--mat-sys-on-surface) 4%, transparent);
    }
    .bone {
      display: block;
      border-radius: var(--mat-sys-corner-small, 4px);
      background: var(--pv-skeleton-bone);
    }
    @media (prefers-reduced-motion: no-preference) {
      .bone {
        background: linear-gradient(
            90deg,
            var(--pv-skeleton-bone) 0%,
            var(--pv-skeleton-shine) 50%,
            var(--pv-skeleton-bone) 100%
          )
          0 0 / 200% 100%;
        animation: pv-skeleton-shimmer 1.4s ease-in-out infinite;
      }
    }
    @keyframes pv-skeleton-shimmer {
      from {
        background-position: 100% 0;
      }
      to {
        background-position: -100% 0;
      }
    }
    .lines {
      display: grid;
      gap: var(--pv-space-3, 0.75rem);
    }
    .line {
      height: 0.875rem;
      width: 100%;
    }
    .short {
      width: 60%;
    }
    .title {
      height: 1.25rem;
      width: 70%;
    }
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
      gap: var(--pv-space-4, 1rem);
    }
    .card {
      display: grid;
      gap: var(--pv-space-3, 0.75rem);
      padding: var(--pv-space-4, 1rem);
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-medium, 12px);
      min-height: 8rem;
      align-content: start;
    }
    .chips {
      display: flex;
      gap: var(--pv-space-2, 0.5rem);
    }
    .chip {
      height: 1.5rem;
      width: 4rem;
      border-radius: var(--mat-sys-corner-full, 999px);
    }
    .rows {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-medium, 12px);
    }
    .row {
      display: grid;
      grid-template-columns: 3fr 2fr 1fr 1fr;
      gap: var(--pv-space-4, 1rem);
      align-items: center;
      padding: var(--pv-space-3, 0.75rem) var(--pv-space-4, 1rem);
    }
    .row + .row {
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    .cell {
      height: 0.875rem;
    }
    .wide {
      width: 90%;
    }
    .narrow {
      width: 70%;
    }
  `,
})
export class Skeleton {
  readonly variant = input<SkeletonVariant>('lines');
  /** How many lines, cards or rows to draw. */
  readonly count = input(3);
  /** What is loading, for assistive technology (e.g. "Loading prompts"). */
  readonly label = input('Loading');
  protected readonly items = computed(() => Array.from({ length: Math.max(1, this.count()) }, (_, i) => i));
}
