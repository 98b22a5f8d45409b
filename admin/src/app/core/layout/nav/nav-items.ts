import type { Permission } from '../../auth/ability';

export interface NavItem {
  label: string;
  path: string;
  icon: string;
  /** Match the path exactly (the home route would otherwise be active everywhere). */
  exact: boolean;
  /** Other paths (and everything under them) that belong to this section, e.g. a prompt's pages to Library. */
  also?: readonly string[];
  /** Shown only to signed-in users whose role allows this (the API's CASL rules). */
  requires?: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Library', path: '/', icon: 'library_books', exact: true, also: ['/prompts'] },
  {
    label: 'Search',
    path: '/search',
    icon: 'search',
    exact: false,
    requires: { action: 'read', subject: 'Prompt' },
  },
  {
    label: 'Collections',
    path: '/collections',
    icon: 'folder',
    exact: false,
    requires: { action: 'read', subject: 'Collection' },
  },
  {
    label: 'Templates',
    path: '/templates',
    icon: 'content_copy',
    exact: false,
    requires: { action: 'read', subject: 'Prompt' },
  },
  {
    label: 'Playground',
    path: '/playground',
    icon: 'science',
    exact: false,
    requires: { action: 'create', subject: 'Run' },
  },
  {
    label: 'Members',
    path: '/organization/members',
    icon: 'group',
    exact: false,
    requires: { action: 'update', subject: 'Member' },
  },
  {
    label: 'API keys',
    path: '/organization/api-keys',
    icon: 'vpn_key',
    exact: false,
    requires: { action: 'use_api', subject: 'ApiKey' },
  },
  {
    label: 'SSO',
    path: '/organization/sso',
    icon: 'security',
    exact: false,
    requires: { action: 'manage', subject: 'SsoSettings' },
  },
  {
    label: 'Provider keys',
    path: '/provider-keys',
    icon: 'vpn_key',
    exact: false,
    requires: { action: 'read', subject: 'ProviderKey' },
  },
  {
    label: 'Billing',
    path: '/billing',
    icon: 'credit_card',
    exact: false,
    requires: { action: 'read', subject: 'Billing' },
  },
  {
    label: 'Analytics',
    path: '/analytics',
    icon: 'bar_chart',
    exact: false,
    requires: { action: 'read', subject: 'Analytics' },
  },
  {
    label: 'Audit log',
    path: '/audit',
    icon: 'security',
    exact: false,
    requires: { action: 'read', subject: 'AuditEvent' },
  },
  {
    label: 'Import and export',
    path: '/transfer',
    icon: 'upload',
    exact: false,
    requires: { action: 'read', subject: 'Prompt' },
  },
  {
    label: 'Webhooks',
    path: '/webhooks',
    icon: 'open_in_new',
    exact: false,
    requires: { action: 'manage', subject: 'Webhook' },
  },
  {
    label: 'Activity',
    path: '/activity',
    icon: 'timeline',
    exact: false,
    requires: { action: 'read', subject: 'Prompt' },
  },
  {
    label: 'Portal',
    path: '/portal',
    icon: 'home',
    exact: false,
    requires: { action: 'read', subject: 'Prompt' },
  },
  {
    label: 'Tags',
    path: '/organization/tags',
    icon: 'sell',
    exact: false,
    requires: { action: 'delete', subject: 'Tag' },
  },
  {
    label: 'Categories',
    path: '/organization/categories',
    icon: 'category',
    exact: false,
    requires: { action: 'update', subject: 'Category' },
  },
  {
    label: 'Settings',
    path: '/organization/settings',
    icon: 'settings',
    exact: false,
    requires: { action: 'update', subject: 'Organization' },
  },
  { label: 'System status', path: '/status', icon: 'dns', exact: false },
];
