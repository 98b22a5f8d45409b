import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { MatListItem, MatListItemIcon, MatListItemTitle, MatNavList } from '@angular/material/list';
import { MatSidenav, MatSidenavContainer, MatSidenavContent } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { ActivatedRouteSnapshot, NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AccountMenu } from '../../session/account-menu';
import { OrganizationSwitcher } from '../../session/organization-switcher';
import { SessionStore } from '../../session/session.store';
import { ToolbarMenu } from '../../session/toolbar-menu';
import { ThemeToggle } from '../../theme/theme-toggle';
import { NAV_ITEMS, NavItem } from '../nav/nav-items';

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
    MatNavList,
    MatListItem,
    MatListItemIcon,
    MatListItemTitle,
    RouterOutlet,
    RouterLink,
    ThemeToggle,
    OrganizationSwitcher,
    AccountMenu,
    ToolbarMenu,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  private readonly session = inject(SessionStore);
  /** Only what the current role may do; items without a permission are for everyone. */
  protected readonly navItems = computed(() => {
    const ability = this.session.ability();
    return NAV_ITEMS.filter(
      (item) => !item.requires || ability.can(item.requires.action, item.requires.subject),
    );
  });
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
  /** The current path without query or fragment: which section the page belongs to. */
  private readonly path = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => this.router.url.split(/[?#]/)[0]),
    ),
    { initialValue: this.router.url.split(/[?#]/)[0] },
  );

  /**
   * Whether the current page is in the item's section: its path (exactly, for `exact` items), a
   * page under it, or one of its extra paths (`NavItem.also`: a prompt's pages belong to Library).
   */
  protected isCurrent(item: NavItem): boolean {
    const path = this.path();
    const under = (prefix: string) => path === prefix || path.startsWith(`${prefix.replace(/\/$/, '')}/`);
    return (item.exact ? path === item.path : under(item.path)) || (item.also ?? []).some(under);
  }

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
