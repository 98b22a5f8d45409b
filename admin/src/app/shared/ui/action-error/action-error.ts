import { ChangeDetectionStrategy, Component, model } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';

/**
 * The dismissible line a page shows when one of its actions failed (revoke, delete, test…):
 * `<pv-action-error [(message)]="actionError" />`. Nothing is shown while the message is null;
 * dismissing it sets the message back to null.
 */
@Component({
  selector: 'pv-action-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTooltip, MatIcon, MatIconButton],
  template: `
    @if (message(); as text) {
      <div class="alert" role="alert">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <p>{{ text }}</p>
        <button
          mat-icon-button
          matTooltip="Dismiss"
          type="button"
          aria-label="Dismiss error"
          (click)="message.set(null)"
        >
          <mat-icon svgIcon="close" aria-hidden="true" />
        </button>
      </div>
    }
  `,
  styles: `
    @use 'alert';

    .alert {
      @include alert.alert;
    }
  `,
})
export class ActionError {
  readonly message = model<string | null>(null);
}
