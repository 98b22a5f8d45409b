import { booleanAttribute, ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';

/**
 * A row or toolbar action shown as an icon button: the icon, an accessible name that says what
 * it acts on (`label`, e.g. "Revoke CI key") and a short tooltip (`tooltip`, e.g. "Revoke").
 * `<pv-icon-action icon="delete" [label]="'Revoke ' + key.name" tooltip="Revoke" (pressed)="revoke(key)" />`
 */
@Component({
  selector: 'pv-icon-action',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIcon, MatIconButton, MatTooltip],
  template: `
    <button
      mat-icon-button
      type="button"
      [attr.aria-label]="label()"
      [matTooltip]="tooltip()"
      [disabled]="disabled()"
      (click)="pressed.emit()"
    >
      <mat-icon [svgIcon]="icon()" aria-hidden="true" />
    </button>
  `,
})
export class IconAction {
  readonly icon = input.required<string>();
  readonly label = input.required<string>();
  readonly tooltip = input.required<string>();
  readonly disabled = input(false, { transform: booleanAttribute });
  readonly pressed = output<void>();
}
