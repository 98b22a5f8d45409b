import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatListItem, MatListItemIcon, MatListItemTitle, MatNavList } from '@angular/material/list';
import { MatSidenav, MatSidenavContainer, MatSidenavContent } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { OrganizationSwitcher } from '../../session/organization-switcher';
import { ThemeToggle } from '../../theme/theme-toggle';
import { NAV_ITEMS } from '../nav/nav-items';

/** Below this width the navigation becomes an overlay drawer behind a menu button. */
export const NARROW_QUERY = '(max-width: 959.98px)';

@Component({
  selector: 'pv-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatToolbar,
    MatIconButton,
    MatIcon,
    MatSidenavContainer,
    MatSidenav,
    MatSidenavContent,
    MatNavList,
    MatListItem,
    MatListItemIcon,
    MatListItemTitle,
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    ThemeToggle,
    OrganizationSwitcher,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  protected readonly navItems = NAV_ITEMS;
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  private readonly sidenav = viewChild.required(MatSidenav);

  protected toggleNavigation(): void {
    void this.sidenav().toggle();
  }

  protected closeIfOverlay(): void {
    if (this.narrow()) void this.sidenav().close();
  }
}
