import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';

/** A card that says why a page has nothing to show; the explanation is projected content. */
@Component({
  selector: 'pv-empty-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatCard, MatCardContent, MatIcon],
  template: `
    <mat-card appearance="outlined" class="card">
      <mat-card-content class="body">
        <mat-icon class="icon" [svgIcon]="icon()" aria-hidden="true" />
        @if (level() === 1) {
          <h1 class="title">{{ heading() }}</h1>
        } @else {
          <h2 class="title">{{ heading() }}</h2>
        }
        <div class="text"><ng-content /></div>
        <div class="actions"><ng-content select="[pvEmptyStateActions]" /></div>
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .body {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 0.75rem;
      padding: 2.5rem 1.5rem;
      text-align: center;
    }
    .icon {
      width: 48px;
      height: 48px;
      color: var(--mat-sys-primary);
    }
    .title {
      margin: 0;
      font: var(--mat-sys-headline-small);
    }
    .text {
      max-width: 36rem;
      color: var(--mat-sys-on-surface-variant);
    }
    .actions:empty {
      display: none;
    }
  `,
})
export class EmptyState {
  readonly heading = input.required<string>();
  readonly icon = input('library_books');
  /** 1 when the empty state is the whole page (the not-found page), so the page has its main heading. */
  readonly level = input<1 | 2>(2);
}
