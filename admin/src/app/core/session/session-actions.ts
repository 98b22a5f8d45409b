import { inject, Injectable, Injector } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { SESSION_DIALOGS } from './session-dialogs';
import { SessionStore } from './session.store';

/**
 * What the toolbar's session menus do (the wide toolbar's switcher and account menu, and the
 * phone toolbar's single menu): one place, so both menus behave the same.
 */
@Injectable({ providedIn: 'root' })
export class SessionActions {
  private readonly session = inject(SessionStore);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);

  /** The dialog (and Material's dialog service) load on demand: most visits never create one. */
  async createOrganization(): Promise<void> {
    const [{ MatDialog }, dialog] = await Promise.all([
      import('@angular/material/dialog'),
      this.injector.get(SESSION_DIALOGS).createOrganization(),
    ]);
    const organization: unknown = await firstValueFrom(
      this.injector.get(MatDialog).open(dialog, { width: '28rem' }).afterClosed(),
    );
    if (organization) await this.router.navigateByUrl('/');
  }

  /** Loaded on demand, like the other dialogs opened from the toolbar. */
  async changePassword(): Promise<void> {
    const [{ MatDialog }, dialog] = await Promise.all([
      import('@angular/material/dialog'),
      this.injector.get(SESSION_DIALOGS).changePassword(),
    ]);
    this.injector.get(MatDialog).open(dialog, { width: '28rem', maxWidth: 'calc(100vw - 2rem)' });
  }

  signOut(): void {
    this.session.signOut();
    void this.router.navigateByUrl('/sign-in');
  }
}
