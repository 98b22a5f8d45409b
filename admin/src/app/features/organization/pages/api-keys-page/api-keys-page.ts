import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Injector,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatTableModule } from '@angular/material/table';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter } from 'rxjs';
import { ApiKey, CreatedApiKey } from '../../../../core/api/api-types';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { CreateApiKeyDialog } from '../../components/create-api-key-dialog/create-api-key-dialog';
import { ORGANIZATION_ERRORS } from '../../data/organization-errors';
import { ApiKeysStore } from '../../data/organization.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';

/** The user's API keys in this organization (OWNER and ADMIN see everyone's). */
@Component({
  selector: 'pv-api-keys-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
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
  providers: [ApiKeysStore],
  templateUrl: './api-keys-page.html',
  styleUrl: '../../../../shared/ui/page/settings-page.scss',
})
export class ApiKeysPage {
  protected readonly store = inject(ApiKeysStore);
  protected readonly session = inject(SessionStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly actionError = signal<string | null>(null);
  protected readonly columns = computed(() => [
    'name',
    'prefix',
    ...(this.store.seesAll() ? ['owner'] : []),
    'createdAt',
    'lastUsedAt',
    'expiresAt',
  ]);

  protected expired(key: ApiKey): boolean {
    return key.expiresAt !== null && new Date(key.expiresAt).getTime() <= Date.now();
  }

  protected create(): void {
    if (!this.session.organizationId()) return;
    // The dialog creates the key through this page's store (its injector), which refreshes the list.
    this.dialog.open<CreateApiKeyDialog, undefined, CreatedApiKey>(CreateApiKeyDialog, {
      width: '32rem',
      injector: this.injector,
    });
  }

  protected revoke(key: ApiKey): void {
    if (!this.session.organizationId()) return;
    confirmAction(this.dialog, {
      title: `Revoke "${key.name}"?`,
      message: `Requests with the key ${key.prefix}… fail from now on. This cannot be undone.`,
      confirm: 'Revoke',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.confirmedRevoke(key));
  }

  private async confirmedRevoke(key: ApiKey): Promise<void> {
    this.actionError.set(null);
    try {
      await this.store.revoke(key);
      this.snackBar.open(`"${key.name}" revoked`, undefined, { duration: 3000 });
    } catch (error) {
      const reason = describeFailure(error, ORGANIZATION_ERRORS, 'Something went wrong. Please try again.');
      this.actionError.set(`Could not revoke "${key.name}": ${reason}`);
    }
  }
}
