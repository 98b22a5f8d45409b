import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogClose, MatDialogRef } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { PlanLimitReached } from '../../../../core/http/plan-limit';
import { SessionStore } from '../../../../core/session/session.store';
import { Dialog } from '../../../../shared/ui/dialog/dialog';
import { describePlanLimit } from '../../data/plan-limit-text';

/**
 * The one dialog every `plan_limit_reached` answer opens (core's PlanLimitPrompt, registered in
 * app.config.ts): which limit was reached and the way on, "See plans" for the OWNER, who alone
 * changes the plan, and "ask an owner" for everyone else.
 */
@Component({
  selector: 'pv-upgrade-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Dialog, MatButton, MatDialogClose],
  template: `
    <pv-dialog heading="Plan limit reached">
      <p class="message">{{ message }}</p>
      @if (canUpgrade()) {
        <p class="hint">Upgrade to a bigger plan to add more. Nothing you have is removed.</p>
      } @else {
        <p class="hint">Ask an owner of your organization to upgrade the plan.</p>
      }
      <ng-container pvDialogActions>
        @if (canUpgrade()) {
          <button mat-button type="button" [mat-dialog-close]="false">Not now</button>
          <button mat-flat-button type="button" cdkFocusInitial (click)="seePlans()">See plans</button>
        } @else {
          <button mat-button type="button" [mat-dialog-close]="false">Close</button>
          @if (signedIn()) {
            <button mat-flat-button type="button" (click)="seePlans()">View plan</button>
          }
        }
      </ng-container>
    </pv-dialog>
  `,
  styles: `
    .message {
      margin: 0 0 0.75rem;
      font: var(--mat-sys-body-large);
    }
    .hint {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class UpgradeDialog {
  private readonly data = inject<PlanLimitReached>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<UpgradeDialog, boolean>>(MatDialogRef);
  private readonly dialogs = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly session = inject(SessionStore);

  protected readonly message = describePlanLimit(this.data);
  protected readonly signedIn = this.session.signedIn;
  protected readonly canUpgrade = computed(() => this.session.ability().can('manage', 'Billing'));

  protected async seePlans(): Promise<void> {
    this.dialogRef.close(true);
    // The dialog whose request was refused (an invitation, a new organization) would otherwise
    // stay open over the billing page: router navigation does not close dialogs.
    this.dialogs.closeAll();
    await this.router.navigateByUrl('/billing');
  }
}
