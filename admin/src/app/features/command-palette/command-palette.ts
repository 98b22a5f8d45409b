import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { ThemeService } from '../../core/theme/theme.service';
import { isTypingTarget } from '../../shared/ui/keyboard/typing-target';
import { CommandPaletteDialog } from './command-palette-dialog';
import { Command } from './commands';
import { ShortcutsDialog } from './shortcuts-dialog';

/**
 * The console's global keys: Ctrl/Cmd+K opens the command palette (also from inside fields, as
 * in most tools), `?` the shortcut sheet (not while typing). Renders nothing; the composition root
 * mounts it for signed-in users.
 */
@Component({
  selector: 'pv-command-palette',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '',
  host: { '(document:keydown)': 'onKeydown($event)' },
})
export class CommandPalette {
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly theme = inject(ThemeService);
  private open = false;

  protected onKeydown(event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      this.openPalette();
    } else if (event.key === '?' && !event.ctrlKey && !event.metaKey && !isTypingTarget(event.target)) {
      event.preventDefault();
      this.openShortcuts();
    }
  }

  openPalette(): void {
    if (this.open) return;
    this.open = true;
    const ref = this.dialog.open<CommandPaletteDialog, void, Command>(CommandPaletteDialog, {
      width: '640px',
      maxWidth: 'calc(100vw - 32px)',
      position: { top: '12vh' },
      autoFocus: 'input',
      ariaLabel: 'Command palette',
    });
    ref.afterClosed().subscribe((command) => {
      this.open = false;
      if (command) this.run(command);
    });
  }

  openShortcuts(): void {
    if (this.dialog.openDialogs.some((d) => d.componentInstance instanceof ShortcutsDialog)) return;
    this.dialog.open(ShortcutsDialog, { width: '560px', maxWidth: 'calc(100vw - 32px)' });
  }

  private run(command: Command): void {
    const target = command.target;
    if (target.kind === 'navigate') void this.router.navigateByUrl(target.path);
    else if (target.kind === 'toggle-theme') this.theme.toggle();
    else this.openShortcuts();
  }
}
