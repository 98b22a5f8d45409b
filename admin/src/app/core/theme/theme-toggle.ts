import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { ThemeService } from './theme.service';

@Component({
  selector: 'pv-theme-toggle',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTooltip, MatIconButton, MatIcon],
  template: `
    <button
      mat-icon-button
      matTooltip="Dark theme"
      type="button"
      aria-label="Dark theme"
      [attr.aria-pressed]="theme.isDark()"
      (click)="theme.toggle()"
    >
      <mat-icon [svgIcon]="theme.isDark() ? 'light_mode' : 'dark_mode'" aria-hidden="true" />
    </button>
  `,
})
export class ThemeToggle {
  protected readonly theme = inject(ThemeService);
}
