import { Routes } from '@angular/router';
import { permissionGuard, signedInGuard } from './core/auth/auth.guards';
import { AUTH_ROUTES } from './features/auth/auth.routes';

export const routes: Routes = [
  {
    path: '',
    loadChildren: () => import('./features/library/library.routes').then((m) => m.LIBRARY_ROUTES),
  },
  {
    path: 'search',
    loadChildren: () => import('./features/search/search.routes').then((m) => m.SEARCH_ROUTES),
  },
  {
    path: 'status',
    loadChildren: () => import('./features/status/status.routes').then((m) => m.STATUS_ROUTES),
  },
  ...AUTH_ROUTES,
  {
    path: 'organization',
    canActivate: [signedInGuard],
    loadChildren: () =>
      import('./features/organization/organization.routes').then((m) => m.ORGANIZATION_ROUTES),
  },
  {
    path: 'provider-keys',
    title: 'Provider keys · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/provider-keys/pages/provider-keys-page/provider-keys-page').then(
        (m) => m.ProviderKeysPage,
      ),
  },
  {
    path: 'playground',
    title: 'Playground · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/playground/pages/playground-page/playground-page').then((m) => m.PlaygroundPage),
  },
  {
    path: 'billing',
    canActivate: [signedInGuard],
    loadChildren: () => import('./features/billing/billing.routes').then((m) => m.BILLING_ROUTES),
  },
  {
    path: 'audit',
    title: 'Audit log · Prompt Vault',
    canActivate: [signedInGuard, permissionGuard({ action: 'read', subject: 'AuditEvent' })],
    loadComponent: () => import('./features/audit/pages/audit-page/audit-page').then((m) => m.AuditPage),
  },
  {
    path: 'analytics',
    canActivate: [signedInGuard],
    loadChildren: () => import('./features/analytics/analytics.routes').then((m) => m.ANALYTICS_ROUTES),
  },
  {
    path: 'templates',
    title: 'Templates · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/templates/pages/templates-page/templates-page').then((m) => m.TemplatesPage),
  },
  {
    path: 'webhooks',
    title: 'Webhooks · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/webhooks/pages/webhooks-page/webhooks-page').then((m) => m.WebhooksPage),
  },
  {
    path: 'transfer',
    title: 'Import and export · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/transfer/pages/transfer-page/transfer-page').then((m) => m.TransferPage),
  },
  {
    path: 'activity',
    title: 'Activity · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/activity/pages/activity-page/activity-page').then((m) => m.ActivityPage),
  },
  {
    path: 'account',
    title: 'Account and privacy · Prompt Vault',
    canActivate: [signedInGuard],
    loadComponent: () =>
      import('./features/account/pages/account-page/account-page').then((m) => m.AccountPage),
  },
  {
    path: 'portal',
    canActivate: [signedInGuard],
    loadChildren: () => import('./features/portal/portal.routes').then((m) => m.PORTAL_ROUTES),
  },
  {
    path: '**',
    title: 'Page not found · Prompt Vault',
    loadComponent: () =>
      import('./features/not-found/pages/not-found-page/not-found-page').then((m) => m.NotFoundPage),
  },
];
