import { Clipboard } from '@angular/cdk/clipboard';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { MatTooltip } from '@angular/material/tooltip';
import { filter } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { confirmAction } from '../../../../shared/ui/confirm-dialog/confirm-dialog';
import { DataTable, RowActions } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { WebhookDialog } from '../../components/webhook-dialog/webhook-dialog';
import { WEBHOOK_ERRORS } from '../../data/webhooks-errors';
import { WebhookDelivery, WebhookEndpoint } from '../../data/webhooks.api';
import { WebhooksStore } from '../../data/webhooks.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { IconAction } from '../../../../shared/ui/icon-action/icon-action';

const FALLBACK = 'Something went wrong. Please try again.';

/**
 * The organization's webhook endpoints (OWNER, ADMIN): add one (its secret is shown once, with a
 * copy button), enable or disable it, send a test event, rotate its secret, delete it, and read
 * the delivery log of one endpoint with redelivery. Other roles are told the page is not for them.
 */
@Component({
  selector: 'pv-webhooks-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    DataTable,
    RowActions,
    MatTableModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatSlideToggle,
    MatTooltip,
    EmptyState,
    ActionError,
    IconAction,
  ],
  providers: [WebhooksStore],
  templateUrl: './webhooks-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './webhooks-page.scss'],
})
export class WebhooksPage {
  protected readonly store = inject(WebhooksStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly actionError = signal<string | null>(null);
  protected readonly columns = ['url', 'events', 'status', 'enabled'];
  protected readonly deliveryColumns = [
    'createdAt',
    'type',
    'status',
    'attempts',
    'responseStatus',
    'durationMs',
  ];

  protected add(): void {
    this.dialog
      .open<WebhookDialog, undefined, WebhookEndpoint>(WebhookDialog, {
        width: '40rem',
        injector: this.injector,
      })
      .afterClosed()
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.snackBar.open('Endpoint added', undefined, { duration: 3000 }));
  }

  protected copySecret(secret: string): void {
    const copied = this.clipboard.copy(secret);
    this.snackBar.open(copied ? 'Secret copied to the clipboard' : 'Copying failed', undefined, {
      duration: 3000,
    });
  }

  protected statusOf(e: WebhookEndpoint): { label: string; tone: 'ok' | 'warn' | 'off' } {
    if (!e.enabled && e.disabledReason === 'failing')
      return { label: 'Disabled after failing for 24 h', tone: 'warn' };
    if (!e.enabled) return { label: 'Disabled', tone: 'off' };
    if (e.failingSince) return { label: 'Failing', tone: 'warn' };
    return { label: 'Active', tone: 'ok' };
  }

  protected toggle(e: WebhookEndpoint, enabled: boolean): Promise<void> {
    return this.run(`Could not ${enabled ? 'enable' : 'disable'} ${e.url}`, () =>
      this.store.setEnabled(e, enabled),
    );
  }

  protected sendTest(e: WebhookEndpoint): Promise<void> {
    return this.run(`Could not send a test event to ${e.url}`, async () => {
      await this.store.test(e);
      this.snackBar.open('Test event queued', undefined, { duration: 3000 });
    });
  }

  protected redeliver(d: WebhookDelivery): Promise<void> {
    return this.run(`Could not redeliver ${d.type}`, async () => {
      await this.store.redeliver(d);
      this.snackBar.open('Redelivery queued', undefined, { duration: 3000 });
    });
  }

  protected loadMore(): Promise<void> {
    return this.run('Could not load more deliveries', () => this.store.loadMore());
  }

  protected rotate(e: WebhookEndpoint): void {
    confirmAction(this.dialog, {
      title: 'Rotate the signing secret?',
      message: `A new secret is shown once. The current secret of ${e.url} keeps signing beside it for 24 hours, so update your receiver within that time.`,
      confirm: 'Rotate',
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(
        () => void this.run(`Could not rotate the secret of ${e.url}`, () => this.store.rotateSecret(e)),
      );
  }

  protected remove(e: WebhookEndpoint): void {
    confirmAction(this.dialog, {
      title: 'Delete this endpoint?',
      message: `${e.url} stops receiving events, pending deliveries are dropped and its delivery log is deleted.`,
      confirm: 'Delete',
      destructive: true,
    })
      .pipe(filter(Boolean), takeUntilDestroyed(this.destroyRef))
      .subscribe(
        () =>
          void this.run(`Could not delete ${e.url}`, async () => {
            await this.store.remove(e);
            this.snackBar.open('Endpoint deleted', undefined, { duration: 3000 });
          }),
      );
  }

  private async run(what: string, work: () => Promise<unknown>): Promise<void> {
    this.actionError.set(null);
    try {
      await work();
    } catch (error) {
      this.actionError.set(`${what}: ${describeFailure(error, WEBHOOK_ERRORS, FALLBACK)}`);
    }
  }
}
