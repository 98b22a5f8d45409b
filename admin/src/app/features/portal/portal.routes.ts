import { Routes } from '@angular/router';
import { provideLibraryIcons } from '../../shared/ui/icons/library-icons';
import { LibraryLookups } from '../library/data/library-lookups.store';

/**
 * The employee portal under /portal (behind signedInGuard in app.routes.ts). `focused` tells the
 * shell to leave out the admin navigation. The prompt page reuses the library's prompt store and
 * variables form, hence the library's lookups and icons.
 */
export const PORTAL_ROUTES: Routes = [
  {
    path: '',
    data: { focused: true },
    providers: [provideLibraryIcons(), LibraryLookups],
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'Prompts · Prompt Vault',
        loadComponent: () => import('./pages/portal-home/portal-home').then((m) => m.PortalHome),
      },
      {
        path: 'prompts/:id',
        title: 'Prompt · Prompt Vault',
        loadComponent: () => import('./pages/portal-prompt/portal-prompt').then((m) => m.PortalPrompt),
      },
    ],
  },
];
