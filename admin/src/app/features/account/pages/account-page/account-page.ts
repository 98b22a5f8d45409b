import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { describeFailure } from '../../../../core/http/error-catalogue';
import { SessionStore } from '../../../../core/session/session.store';
import { ActionError } from '../../../../shared/ui/action-error/action-error';
import { openDeleteAccountDialog } from '../../components/delete-account-dialog/delete-account-dialog';
import { AccountPrivacyStore } from '../../data/account-privacy.store';

/** The signed-in user's account: who they are, where they are a member, and their GDPR rights. */
@Component({
  selector: 'pv-account-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatIcon, ActionError],
  providers: [AccountPrivacyStore],
  styleUrls: ['../../../../shared/ui/page/settings-page.scss'],
  template: `
    <header class="header">
      <div>
        <h1 class="title">Account and privacy</h1>
        <p class="subtitle">{{ session.me()?.name }} · {{ session.me()?.email }}</p>
      </div>
    </header>

    <pv-action-error [(message)]="error" />

    <section class="section" aria-labelledby="memberships-title">
      <h2 class="section-title" id="memberships-title">Organizations</h2>
      <ul>
        @for (m of session.memberships(); track m.organizationId) {
          <li>{{ m.organizationName }} ({{ m.role }})</li>
        } @empty {
          <li>None</li>
        }
      </ul>
    </section>

    <section class="section" aria-labelledby="export-title">
      <h2 class="section-title" id="export-title">Download my data</h2>
      <p class="muted">
        Everything Prompt Vault holds about you as one JSON file: profile, memberships, prompts and versions
        you wrote, comments, favorites, saved searches, sessions, API key metadata and the audit events where
        you acted.
      </p>
      <button mat-stroked-button type="button" [disabled]="store.exporting()" (click)="download()">
        <mat-icon svgIcon="download" aria-hidden="true" />
        Download my data
      </button>
    </section>

    <section class="section" aria-labelledby="delete-title">
      <h2 class="section-title" id="delete-title">Delete my account</h2>
      <p class="muted">Erases your account and personal data. You cannot sign in afterwards.</p>
      <button mat-stroked-button type="button" class="destructive" (click)="remove()">
        Delete my account…
      </button>
    </section>
  `,
  styles: `
    .destructive {
      color: var(--mat-sys-error);
    }
  `,
})
export class AccountPage {
  protected readonly session = inject(SessionStore);
  protected readonly store = inject(AccountPrivacyStore);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  protected readonly error = signal<string | null>(null);

  protected async download(): Promise<void> {
    this.error.set(null);
    try {
      const file = await this.store.exportMine();
      const url = URL.createObjectURL(file.blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (error) {
      this.error.set(describeFailure(error, {}, 'Your data could not be exported.'));
    }
  }

  protected async remove(): Promise<void> {
    const erased = await firstValueFrom(
      openDeleteAccountDialog(this.dialog, { erase: (password) => this.store.eraseMine(password) }),
    );
    if (erased) await this.router.navigateByUrl('/sign-in');
  }
}
