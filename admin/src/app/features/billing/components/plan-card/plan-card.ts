import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { BillingInterval } from '../../data/billing.api';
import { PlanOffer, yearlySaving } from '../../data/plan-catalogue';

/**
 * One plan as an offer: price for the chosen interval (a year shows what it saves), what it
 * includes, whether it is the organization's plan, and the one action the page allows on it
 * (`actionLabel`; none for read-only viewers and for Enterprise, which goes through sales).
 */
@Component({
  selector: 'pv-plan-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatCard, MatCardHeader, MatCardTitle, MatCardContent, MatCardActions, MatButton, MatIcon],
  template: `
    <mat-card
      appearance="outlined"
      class="card"
      [class.current]="current()"
      role="group"
      [attr.aria-label]="offer().title + ' plan'"
    >
      <mat-card-header>
        <mat-card-title class="title">
          {{ offer().title }}
          @if (current()) {
            <span class="badge">Current plan</span>
          }
        </mat-card-title>
      </mat-card-header>
      <mat-card-content>
        <p class="price">
          @if (price(); as p) {
            <span class="amount">{{ p.amount }}</span> <span class="per">{{ p.per }}</span>
          } @else {
            <span class="amount">Custom</span>
          }
        </p>
        @if (saving(); as text) {
          <p class="saving">{{ text }}</p>
        }
        <ul class="features">
          @for (feature of offer().features; track feature) {
            <li>
              <mat-icon svgIcon="check" aria-hidden="true" />
              {{ feature }}
            </li>
          }
        </ul>
        @if (note(); as text) {
          <p class="note">{{ text }}</p>
        }
      </mat-card-content>
      @if (actionLabel(); as label) {
        <mat-card-actions>
          <button
            mat-flat-button
            type="button"
            [disabled]="disabled()"
            [attr.aria-label]="label + ': ' + offer().title"
            (click)="chosen.emit()"
          >
            {{ label }}
          </button>
        </mat-card-actions>
      }
    </mat-card>
  `,
  styleUrl: './plan-card.scss',
})
export class PlanCard {
  readonly offer = input.required<PlanOffer>();
  readonly interval = input<BillingInterval>('month');
  readonly current = input(false);
  /** The button's text, e.g. "Upgrade"; null: no button. */
  readonly actionLabel = input<string | null>(null);
  readonly disabled = input(false);
  /** A line under the features, e.g. how to reach sales. */
  readonly note = input<string | null>(null);
  readonly chosen = output<void>();

  protected readonly price = computed(() => {
    const prices = this.offer().prices;
    if (!prices) return null;
    const interval = this.interval();
    return {
      amount: `$${prices[interval].toLocaleString('en-US')}`,
      per: interval === 'year' ? '/ year' : '/ month',
    };
  });

  protected readonly saving = computed(() => {
    const saving = yearlySaving(this.offer());
    if (this.interval() !== 'year' || saving === 0) return null;
    return `Save $${saving.toLocaleString('en-US')} a year compared with monthly`;
  });
}
