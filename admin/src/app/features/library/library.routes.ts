import { Routes } from '@angular/router';

export const LIBRARY_ROUTES: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Library · Prompt Vault',
    loadComponent: () => import('./pages/library-home/library-home-page').then((m) => m.LibraryHomePage),
  },
];
