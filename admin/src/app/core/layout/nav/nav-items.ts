export interface NavItem {
  label: string;
  path: string;
  icon: string;
  /** Match the path exactly (the home route would otherwise be active everywhere). */
  exact: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Library', path: '/', icon: 'library_books', exact: true },
  { label: 'System status', path: '/status', icon: 'dns', exact: false },
];
