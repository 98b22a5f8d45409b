import { Routes } from '@angular/router';
import { permissionGuard } from '../../core/auth/auth.guards';

/** Under /organization, behind signedInGuard (app.routes.ts); each page also checks the role. */
export const ORGANIZATION_ROUTES: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'members' },
  {
    path: 'members',
    title: 'Members · Prompt Vault',
    canActivate: [permissionGuard({ action: 'update', subject: 'Member' })],
    loadComponent: () => import('./pages/members-page/members-page').then((m) => m.MembersPage),
  },
  {
    path: 'api-keys',
    title: 'API keys · Prompt Vault',
    canActivate: [permissionGuard({ action: 'use_api', subject: 'ApiKey' })],
    loadComponent: () => import('./pages/api-keys-page/api-keys-page').then((m) => m.ApiKeysPage),
  },
  {
    path: 'sso',
    title: 'Single sign-on · Prompt Vault',
    canActivate: [permissionGuard({ action: 'manage', subject: 'SsoSettings' })],
    loadComponent: () => import('./pages/sso-settings-page/sso-settings-page').then((m) => m.SsoSettingsPage),
  },
  {
    path: 'settings',
    title: 'Organization settings · Prompt Vault',
    canActivate: [permissionGuard({ action: 'update', subject: 'Organization' })],
    loadComponent: () =>
      import('./pages/settings-page/settings-page').then((m) => m.OrganizationSettingsPage),
  },
  {
    path: 'tags',
    title: 'Tags · Prompt Vault',
    canActivate: [permissionGuard({ action: 'delete', subject: 'Tag' })],
    loadComponent: () => import('./pages/tags-page/tags-page').then((m) => m.TagsPage),
  },
  {
    path: 'categories',
    title: 'Categories · Prompt Vault',
    canActivate: [permissionGuard({ action: 'update', subject: 'Category' })],
    loadComponent: () => import('./pages/categories-page/categories-page').then((m) => m.CategoriesPage),
  },
];
