import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatDialogActions, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { FocusInvalid } from '../../forms/focus-invalid';

/**
 * The one dialog skeleton: a title that names the dialog, the projected content, the projected
 * `[pvDialogActions]` at the end, a progress bar while `busy`, and an `error` line under the content.
 *
 * The body sits in a native `<form novalidate>`, so a dialog that edits something puts the reactive
 * form on the host — `<pv-dialog [formGroup]="form" (ngSubmit)="submit()">` — and its fields and
 * its `type="submit"` button (in the actions) submit it, Enter included. The form directive lives
 * on the host because projected fields find their FormGroup in the template that declares them.
 * A dialog without a form just leaves `[formGroup]` out; nothing it contains submits anything.
 * A dialog's form behaves like every other form (FocusInvalid): an invalid submit turns the fields
 * red and focuses the first invalid one.
 */
@Component({
  selector: 'pv-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatDialogTitle, MatDialogContent, MatDialogActions, MatProgressBar, MatIcon],
  hostDirectives: [FocusInvalid],
  templateUrl: './dialog.html',
  styleUrl: './dialog.scss',
})
export class Dialog {
  /** The dialog's title and accessible name. */
  readonly heading = input.required<string>();
  /** Work in flight: shows a progress bar and marks the content busy (the caller disables its buttons). */
  readonly busy = input(false);
  /** A failure that belongs to no field, shown under the content. */
  readonly error = input<string | null>(null);
}
