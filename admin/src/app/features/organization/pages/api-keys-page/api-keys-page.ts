import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltip } from '@angular/material/tooltip';
import { filter, switchMap } from 'rxjs';
import { ApiKey, CreatedApiKey } from '../../../../core/api/api-types';
import { errorMessage } from '../../../../core/http/form-errors';
import { SessionStore } from '../../../../core/session/session.store';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import {
  CreateApiKeyDialog,
  CreateApiKeyDialogData,
} from '../../components/create-api-key-dialog/create-api-key-dialog';
import { OrganizationApi } from '../../data/organization.api';

/** The user's API keys in this organization (OWNER and ADMIN see everyone's). */
@Component({
  selector: 'pv-api-keys-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    MatTooltip,
    EmptyState,
  ],
  templateUrl: './api-keys-page.html',
  styleUrl: '../org-page.scss',
})
export class ApiKeysPage {
  private readonly api = inject(OrganizationApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly session = inject(SessionStore);

  protected readonly keys = rxResource({
    params: () => this.session.organizationId() ?? undefined,
    stream: ({ params }) => this.api.apiKeys(params),
  });
  protected readonly actionError = signal<string | null>(null);
  /** OWNER and ADMIN see every member's keys; a column says whose. */
  protected readonly seesAll = computed(() =>
    this.session.ability().can('read', { __type: 'ApiKey', createdById: null }),
  );
  protected readonly columns = computed(() => [
    'name',
    'prefix',
    ...(this.seesAll() ? ['owner'] : []),
    'createdAt',
    'lastUsedAt',
    'expiresAt',
    'actions',
  ]);

  /** Names for the owner column: members are readable by everyone who sees others' keys. */
  private readonly members = rxResource({
    params: () => (this.seesAll() ? (this.session.organizationId() ?? undefined) : undefined),
    stream: ({ params }) => this.api.members(params),
  });
  private readonly memberNames = computed(
    () => new Map((this.members.value() ?? []).map((member) => [member.userId, member.name])),
  );

  protected ownerName(key: ApiKey): string {
    if (key.userId === this.session.me()?.id) return 'You';
    // The key of a removed member no longer works but can still be listed until it is revoked.
    return this.memberNames().get(key.userId) ?? 'Another member';
  }

  protected expired(key: ApiKey): boolean {
    return key.expiresAt !== null && new Date(key.expiresAt).getTime() <= Date.now();
  }

  protected create(): void {
    const organizationId = this.session.organizationId();
    if (!organizationId) return;
    this.dialog
      .open<CreateApiKeyDialog, CreateApiKeyDialogData, CreatedApiKey>(CreateApiKeyDialog, {
        data: { organizationId },
        width: '32rem',
      })
      .afterClosed()
      .subscribe((key) => {
        if (key) this.keys.reload();
      });
  }

  protected revoke(key: ApiKey): void {
    const organizationId = this.session.organizationId();
    if (!organizationId) return;
    confirmAction(this.dialog, {
      title: `Revoke "${key.name}"?`,
      message: `Requests with the key ${key.prefix}… fail from now on. This cannot be undone.`,
      confirm: 'Revoke',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.actionError.set(null);
          return this.api.revokeApiKey(organizationId, key.id);
        }),
      )
      .subscribe({
        next: () => {
          this.keys.update((keys) => keys?.filter((k) => k.id !== key.id));
          this.snackBar.open(`"${key.name}" revoked`, undefined, { duration: 3000 });
        },
        error: (error: unknown) =>
          this.actionError.set(`Could not revoke "${key.name}": ${errorMessage(error)}`),
      });
  }
}
