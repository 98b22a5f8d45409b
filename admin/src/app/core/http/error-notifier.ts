import { inject, Injectable, Injector } from '@angular/core';

/**
 * Where HTTP failures are told to the user; a seam so interceptor tests can observe it. Material's
 * snack bar loads with the first message, like the dialogs opened from the toolbar: most visits
 * show none, so it stays out of the initial bundle.
 */
@Injectable({ providedIn: 'root' })
export class ErrorNotifier {
  private readonly injector = inject(Injector);

  notify(message: string): void {
    void import('@angular/material/snack-bar').then(({ MatSnackBar }) =>
      this.injector.get(MatSnackBar).open(message, 'Dismiss', { duration: 10_000, politeness: 'assertive' }),
    );
  }
}
