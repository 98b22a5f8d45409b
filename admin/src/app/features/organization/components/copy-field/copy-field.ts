import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltip } from '@angular/material/tooltip';

/** A read-only value (a link, a key) with a button that copies it. */
@Component({
  selector: 'pv-copy-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormField, MatLabel, MatInput, MatSuffix, MatIconButton, MatIcon, MatTooltip],
  template: `
    <mat-form-field class="field">
      <mat-label>{{ label() }}</mat-label>
      <input matInput readonly [value]="value()" (focus)="select($event)" />
      <button
        mat-icon-button
        matSuffix
        type="button"
        [attr.aria-label]="'Copy ' + label().toLowerCase()"
        [matTooltip]="'Copy ' + label().toLowerCase()"
        (click)="copy()"
      >
        <mat-icon svgIcon="content_copy" aria-hidden="true" />
      </button>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    .field {
      width: 100%;
    }
    input {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    }
  `,
})
export class CopyField {
  readonly label = input.required<string>();
  readonly value = input.required<string>();
  private readonly clipboard = inject(Clipboard);
  private readonly snackBar = inject(MatSnackBar);

  protected select(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }

  protected copy(): void {
    const copied = this.clipboard.copy(this.value());
    this.snackBar.open(
      copied ? `${this.label()} copied` : 'Copying failed; select the text and copy it',
      undefined,
      {
        duration: 3000,
      },
    );
  }
}
