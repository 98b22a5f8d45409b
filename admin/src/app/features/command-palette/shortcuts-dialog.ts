import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialogClose } from '@angular/material/dialog';
import { Dialog } from '../../shared/ui/dialog/dialog';
import { SHORTCUTS } from './commands';

/** The `?` sheet: every keyboard shortcut of the console and where it works. */
@Component({
  selector: 'pv-shortcuts-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Dialog, MatButton, MatDialogClose],
  template: `
    <pv-dialog heading="Keyboard shortcuts">
      <table class="shortcuts">
        <caption class="visually-hidden">
          Keyboard shortcuts
        </caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
            <th scope="col">Where</th>
          </tr>
        </thead>
        <tbody>
          @for (shortcut of shortcuts; track shortcut.description) {
            <tr>
              <td>
                @for (key of shortcut.keys; track key; let last = $last) {
                  <kbd>{{ key }}</kbd>{{ last ? '' : ' + ' }}
                }
              </td>
              <td>{{ shortcut.description }}</td>
              <td class="where">{{ shortcut.where }}</td>
            </tr>
          }
        </tbody>
      </table>
      <p class="note">On a Mac, use ⌘ where Ctrl is shown.</p>
      <button pvDialogActions mat-button type="button" mat-dialog-close>Close</button>
    </pv-dialog>
  `,
  styles: `
    .shortcuts {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: left;
      padding: 6px 12px 6px 0;
      vertical-align: top;
    }
    th {
      font: var(--mat-sys-label-large);
    }
    .where,
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ShortcutsDialog {
  protected readonly shortcuts = SHORTCUTS;
}
