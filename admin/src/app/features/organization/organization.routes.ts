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
];
