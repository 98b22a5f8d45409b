import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    loadChildren: () => import('./features/library/library.routes').then((m) => m.LIBRARY_ROUTES),
  },
  {
    path: 'status',
    loadChildren: () => import('./features/status/status.routes').then((m) => m.STATUS_ROUTES),
  },
  {
    path: '**',
    title: 'Page not found · Prompt Vault',
    loadComponent: () =>
      import('./features/not-found/pages/not-found-page/not-found-page').then((m) => m.NotFoundPage),
  },
];
