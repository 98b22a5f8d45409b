import { ChangeDetectionStrategy, Component, computed, inject, output } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIcon } from '@angular/material/icon';
import { MatListItem, MatListItemIcon, MatListItemTitle, MatNavList } from '@angular/material/list';
import { NavigationEnd, Router, RouterLink } from '@angular/router';
import { filter, map } from 'rxjs';
import { SessionStore } from '../../session/session.store';
import { NAV_ITEMS, NavItem } from './nav-items';

/**
 * The main navigation's links: what the current role may open, the current section marked. The
 * shell loads it in a @defer block, so Material's list (and the forms package it imports) stays
 * out of the initial bundle; it appears with the routed page, which is loaded lazily as well.
 */
@Component({
  selector: 'pv-nav-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatNavList, MatListItem, MatListItemIcon, MatListItemTitle, MatIcon, RouterLink],
  template: `
    <mat-nav-list>
      @for (item of items(); track item.path) {
        <a
          mat-list-item
          [routerLink]="item.path"
          [attr.aria-current]="isCurrent(item) ? 'page' : null"
          [activated]="isCurrent(item)"
          (click)="navigate.emit()"
        >
          <mat-icon matListItemIcon [svgIcon]="item.icon" aria-hidden="true" />
          <span matListItemTitle>{{ item.label }}</span>
        </a>
      }
    </mat-nav-list>
  `,
})
export class NavList {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  /** A link was followed (the shell closes the overlay drawer). */
  readonly navigate = output<void>();

  /** Only what the current role may do; items without a permission are for everyone. */
  protected readonly items = computed(() => {
    const ability = this.session.ability();
    return NAV_ITEMS.filter(
      (item) => !item.requires || ability.can(item.requires.action, item.requires.subject),
    );
  });

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
}
