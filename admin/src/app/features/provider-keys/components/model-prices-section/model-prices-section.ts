import { CurrencyPipe, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';
import { MODEL_PRICE_ERRORS } from '../../data/model-prices-errors';
import { OrganizationPrice } from '../../data/model-prices.api';
import { ModelPriceRow, ModelPricesStore } from '../../data/model-prices.store';
import { providerInfo } from '../../data/providers';
import { ModelPriceDialog, ModelPriceDialogData } from '../model-price-dialog/model-price-dialog';

/**
 * "Model prices" on the provider keys page (OWNER, ADMIN): every catalogue model and every model
 * the organization priced, with the catalogue price and the organization's own; set a price in a
 * dialog, or reset it to the catalogue price. Changes apply from now on (docs/playground.md).
 */
@Component({
  selector: 'pv-model-prices-section',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CurrencyPipe,
    DatePipe,
    DataTable,
    RowActions,
    MatTableModule,
    MatButton,
    MatIcon,
    EmptyState,
    ActionError,
    IconAction,
  ],
  providers: [ModelPricesStore],
  templateUrl: './model-prices-section.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss'],
  styles: `
    .section-header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
    }
    .provider {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
    }
    .mono {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      overflow-wrap: anywhere;
    }
  `,
})
export class ModelPricesSection {
  protected readonly store = inject(ModelPricesStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly actionError = signal<string | null>(null);
  protected readonly columns = ['model', 'catalogue', 'own'];
  protected readonly providerInfo = providerInfo;

  /** Opens the price dialog for a row, or for a model outside the catalogue without one. */
  protected edit(row?: ModelPriceRow): void {
    // The dialog saves through this section's store (its injector), which updates the table.
    this.dialog
      .open<ModelPriceDialog, ModelPriceDialogData, OrganizationPrice>(ModelPriceDialog, {
        width: '30rem',
        injector: this.injector,
        data: { row },
      })
      .afterClosed()
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe((saved) =>
        this.snackBar.open(`Price of ${saved.model} saved`, undefined, { duration: 3000 }),
      );
  }

  protected reset(row: ModelPriceRow): void {
    confirmAction(this.dialog, {
      title: `Reset the price of ${row.name}?`,
      message: row.catalogue
        ? `From now on ${row.name} is priced at the catalogue price. Usage already recorded keeps its cost.`
        : `From now on ${row.name} has no price (its runs cost 0). Usage already recorded keeps its cost.`,
      confirm: 'Reset',
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.confirmedReset(row));
  }

  private async confirmedReset(row: ModelPriceRow): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.reset(row.model);
      this.snackBar.open(`Price of ${row.name} reset`, undefined, { duration: 3000 });
    } catch (error) {
      const reason = describeFailure(error, MODEL_PRICE_ERRORS, 'Something went wrong. Please try again.');
      this.actionError.set(`Could not reset the price of ${row.name}: ${reason}`);
    }
  }
}
