import { Routes } from '@angular/router';
import { signedInGuard } from '../../core/auth/auth.guards';

export const SEARCH_ROUTES: Routes = [
  {
    path: '',
    canActivate: [signedInGuard],
    title: 'Search · Prompt Vault',
    loadComponent: () => import('./pages/search-page/search-page').then((m) => m.SearchPage),
  },
];
