import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  inject,
  Injector,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { filter } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';
import { CollectionBudget } from '../../data/analytics.types';
import { CollectionBudgetsStore } from '../../data/collection-budgets.store';
import { formatPercent, formatUsd } from '../../data/format';
import { CollectionBudgetDialog, CollectionBudgetDialogData } from './collection-budget-dialog';

/**
 * The collection budgets of the budget page: one row per collection with this month's spending
 * as a bar, the thresholds crossed and the hard stop; add, edit and remove through a dialog.
 */
@Component({
  selector: 'pv-collection-budgets',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatProgressBar, ActionError, EmptyState, IconAction],
  providers: [CollectionBudgetsStore],
  template: `
    <div class="heading">
      <h2 id="collection-budgets-heading" class="section-title">Collection budgets</h2>
      @if (store.loaded()) {
        <button
          mat-stroked-button
          type="button"
          [disabled]="store.available().length === 0"
          (click)="edit(null)"
        >
          Add collection budget
        </button>
      }
    </div>
    <p class="muted">
      A monthly limit for the prompts of one collection and its sub-collections, with its own warnings and
      hard stop.
    </p>
    <pv-action-error [(message)]="actionError" />
    @if (store.loading() && !store.loaded()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading the collection budgets" />
    }
    @if (failure(store.error()); as message) {
      <p class="alert" role="alert">{{ message }}</p>
    }
    @if (store.loaded()) {
      @if (store.items().length === 0) {
        <pv-empty-state heading="No collection budgets" icon="folder">
          @if (store.collections().length === 0) {
            Create a collection in the library first; its prompts can then get a budget of their own.
          } @else {
            Only the organization's budget applies. Add one to watch or cap a collection's spending.
          }
        </pv-empty-state>
      } @else {
        <ul class="list" aria-labelledby="collection-budgets-heading">
          @for (b of store.items(); track b.collectionId) {
            <li class="row">
              <div class="line">
                <span class="name">{{ b.collectionName }}</span>
                <span class="amounts">
                  {{ formatUsd(b.spentUsd) }} of {{ formatUsd(b.monthlyLimitUsd) }} ({{
                    formatPercent(b.percent)
                  }}%)
                </span>
                @if (b.hardStop) {
                  <span class="tag">Hard stop</span>
                }
                <pv-icon-action
                  icon="edit"
                  [label]="'Edit the budget of ' + b.collectionName"
                  tooltip="Edit"
                  (pressed)="edit(b)"
                />
                <pv-icon-action
                  icon="delete"
                  [label]="'Remove the budget of ' + b.collectionName"
                  tooltip="Remove"
                  (pressed)="remove(b)"
                />
              </div>
              <mat-progress-bar
                mode="determinate"
                [value]="bar(b)"
                [class.over]="b.percent >= 100"
                [attr.aria-label]="b.collectionName + ' budget used: ' + formatPercent(b.percent) + '%'"
              />
              @if (b.crossed.length > 0) {
                <p class="warning">Thresholds crossed this month: {{ b.crossed.join('%, ') }}%</p>
              }
            </li>
          }
        </ul>
      }
    }
  `,
  styles: `
    :host {
      display: block;
      max-width: 40rem;
      margin-bottom: 2rem;
    }
    .heading {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
    }
    .section-title {
      margin: 0 0 0.75rem;
      font: var(--mat-sys-title-medium);
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 1rem;
    }
    .line {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    .name {
      font-weight: 500;
    }
    .amounts {
      flex: 1;
      color: var(--mat-sys-on-surface-variant);
    }
    .tag {
      padding: 0 0.5rem;
      border-radius: var(--mat-sys-corner-small);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: var(--mat-sys-label-medium);
    }
    .alert {
      color: var(--mat-sys-error);
    }
    .warning {
      margin: 0.25rem 0 0;
      color: var(--mat-sys-tertiary);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .over {
      --mat-progress-bar-active-indicator-color: var(--mat-sys-error);
    }
  `,
})
export class CollectionBudgets {
  protected readonly store = inject(CollectionBudgetsStore);
  private readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly formatUsd = formatUsd;
  protected readonly formatPercent = formatPercent;
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    // Load again when the organization changes (the switcher).
    effect(() => {
      if (!this.session.organizationId()) return;
      untracked(() => void this.store.load());
    });
  }

  /** The bar's value: the share spent, capped at 100. */
  protected bar(b: CollectionBudget): number {
    return Math.min(100, Math.max(0, b.percent));
  }

  /** Opens the dialog for a budget (null: a new one); it saves through this panel's store. */
  protected edit(budget: CollectionBudget | null): void {
    this.actionError.set(null);
    this.dialog.open<CollectionBudgetDialog, CollectionBudgetDialogData, CollectionBudget>(
      CollectionBudgetDialog,
      {
        data: { budget },
        width: '32rem',
        injector: this.injector,
      },
    );
  }

  protected remove(budget: CollectionBudget): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'Remove the collection budget?',
      message: `"${budget.collectionName}" will have no budget of its own; the organization's budget still applies.`,
      confirm: 'Remove',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => {
        this.store
          .remove(budget.collectionId)
          .catch((error: unknown) =>
            this.actionError.set(describeFailure(error, {}, 'The collection budget could not be removed.')),
          );
      });
  }

  protected failure(error: unknown): string | null {
    return error ? describeFailure(error, {}, 'The collection budgets could not be loaded.') : null;
  }
}
