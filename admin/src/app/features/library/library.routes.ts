import { Routes } from '@angular/router';
import { signedInGuard } from '../../core/auth/auth.guards';
import { idSegmentAt } from '../../core/routing/id-param';
import { provideLibraryIcons } from '../../shared/ui/icons/library-icons';
import { portalHomeGuard } from '../portal/portal.guards';
import { LibraryLookups } from './data/library-lookups.store';
import { unsavedChangesGuard } from './data/unsaved-changes.guard';

export const LIBRARY_ROUTES: Routes = [
  {
    path: '',
    // One lookup store for all library pages, so tags, collections and members load once.
    providers: [provideLibraryIcons(), LibraryLookups],
    children: [
      {
        path: '',
        pathMatch: 'full',
        canActivate: [signedInGuard, portalHomeGuard],
        title: 'Library · Prompt Vault',
        loadComponent: () => import('./pages/library-list/library-list-page').then((m) => m.LibraryListPage),
      },
      {
        path: 'collections',
        canActivate: [signedInGuard],
        title: 'Collections · Prompt Vault',
        loadComponent: () =>
          import('./pages/collections-page/collections-page').then((m) => m.CollectionsPage),
      },
      {
        path: 'prompts/new',
        canActivate: [signedInGuard],
        title: 'New prompt · Prompt Vault',
        canDeactivate: [unsavedChangesGuard],
        loadComponent: () =>
          import('./pages/prompt-editor/prompt-editor-page').then((m) => m.PromptEditorPage),
      },
      {
        path: 'prompts/:id',
        canMatch: [idSegmentAt(1)],
        canActivate: [signedInGuard],
        title: 'Prompt · Prompt Vault',
        loadComponent: () => import('./pages/prompt-page/prompt-page').then((m) => m.PromptPage),
      },
      {
        path: 'prompts/:id/edit',
        canMatch: [idSegmentAt(1)],
        canActivate: [signedInGuard],
        title: 'Edit prompt · Prompt Vault',
        canDeactivate: [unsavedChangesGuard],
        loadComponent: () =>
          import('./pages/prompt-editor/prompt-editor-page').then((m) => m.PromptEditorPage),
      },
    ],
  },
];
