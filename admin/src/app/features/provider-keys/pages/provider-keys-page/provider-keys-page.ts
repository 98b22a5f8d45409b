import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressSpinner } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { AddProviderKeyDialog } from '../../components/add-provider-key-dialog/add-provider-key-dialog';
import { ModelPricesSection } from '../../components/model-prices-section/model-prices-section';
import { PROVIDER_KEY_ERRORS } from '../../data/provider-keys-errors';
import { ProviderKey } from '../../data/provider-keys.api';
import { ProviderKeysStore } from '../../data/provider-keys.store';
import { providerInfo } from '../../data/providers';
import { registerProviderKeyIcons } from '../../provider-icons';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';

/**
 * The organization's own model provider keys: OWNER and ADMIN add, test and delete them; EDITOR
 * sees the list; VIEWER is told the page is not for their role. Below the keys, OWNER and ADMIN
 * set the organization's model prices (`pv-model-prices-section`).
 */
@Component({
  selector: 'pv-provider-keys-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    DataTable,
    RowActions,
    MatTableModule,
    MatButton,
    MatIcon,
    MatProgressSpinner,
    EmptyState,
    ActionError,
    IconAction,
    ModelPricesSection,
  ],
  providers: [ProviderKeysStore],
  templateUrl: './provider-keys-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './provider-keys-page.scss'],
})
export class ProviderKeysPage {
  protected readonly store = inject(ProviderKeysStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly actionError = signal<string | null>(null);
  protected readonly columns = ['provider', 'name', 'last4', 'baseUrl', 'lastUsedAt', 'test'];
  protected readonly providerInfo = providerInfo;

  constructor() {
    registerProviderKeyIcons();
  }

  protected add(): void {
    // The dialog adds the key through this page's store (its injector), which updates the list.
    this.dialog
      .open<AddProviderKeyDialog, undefined, ProviderKey>(AddProviderKeyDialog, {
        width: '34rem',
        injector: this.injector,
      })
      .afterClosed()
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe((key) => this.snackBar.open(`"${key.name}" added`, undefined, { duration: 3000 }));
  }

  protected async test(key: ProviderKey): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.test(key);
    } catch (error) {
      const reason = describeFailure(error, PROVIDER_KEY_ERRORS, 'Something went wrong. Please try again.');
      this.actionError.set(`Could not test "${key.name}": ${reason}`);
    }
  }

  protected remove(key: ProviderKey): void {
    confirmAction(this.dialog, {
      title: `Delete "${key.name}"?`,
      message: `Runs that use this ${providerInfo(key.provider).label} key (…${key.last4}) stop working. The key is deleted from Prompt Vault, not revoked at the provider.`,
      confirm: 'Delete',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.confirmedRemove(key));
  }

  private async confirmedRemove(key: ProviderKey): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.remove(key);
      this.snackBar.open(`"${key.name}" deleted`, undefined, { duration: 3000 });
    } catch (error) {
      const reason = describeFailure(error, PROVIDER_KEY_ERRORS, 'Something went wrong. Please try again.');
      this.actionError.set(`Could not delete "${key.name}": ${reason}`);
    }
  }
}
