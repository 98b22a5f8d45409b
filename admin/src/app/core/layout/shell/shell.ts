import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatSidenav, MatSidenavContainer, MatSidenavContent } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { ActivatedRouteSnapshot, NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { SessionMenu } from '../../session/session-menu';
import { SessionStore } from '../../session/session.store';
import { ThemeToggle } from '../../theme/theme-toggle';
import { NavList } from '../nav/nav-list';

/** Whether the deepest active route asks for a focused page without navigation (`data: {focused: true}`). */
export function isFocusedRoute(root: ActivatedRouteSnapshot): boolean {
  let route: ActivatedRouteSnapshot | null = root;
  while (route?.firstChild) route = route.firstChild;
  return route?.data['focused'] === true;
}

/** Below this width the navigation becomes an overlay drawer behind a menu button. */
export const NARROW_QUERY = '(max-width: 959.98px)';
/** Below this width (phones) the toolbar folds its session controls into one menu. */
export const COMPACT_QUERY = '(max-width: 599.98px)';

/**
 * The console's frame: toolbar, navigation and the routed page. Content between its tags (the
 * app puts the search box there) goes into the toolbar after the brand, so core names no feature.
 */
@Component({
  selector: 'pv-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    MatTooltip,
    MatToolbar,
    MatIconButton,
    MatIcon,
    MatSidenavContainer,
    MatSidenav,
    MatSidenavContent,
    RouterOutlet,
    RouterLink,
    ThemeToggle,
    SessionMenu,
    NavList,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  private readonly session = inject(SessionStore);
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe(NARROW_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe(COMPACT_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly signedIn = this.session.signedIn;
  /** Focused pages (the employee portal) leave the navigation out. */
  private readonly router = inject(Router);
  protected readonly focused = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => isFocusedRoute(this.router.routerState.snapshot.root)),
    ),
    { initialValue: false },
  );
  private readonly sidenav = viewChild.required(MatSidenav);

  /** The skip link moves the focus (not just the scroll position) to the page's content. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    const main = document.getElementById('main-content');
    main?.focus();
    main?.scrollIntoView?.({ block: 'start' });
  }

  protected toggleNavigation(): void {
    void this.sidenav().toggle();
  }

  protected closeIfOverlay(): void {
    if (this.narrow()) void this.sidenav().close();
  }
}
