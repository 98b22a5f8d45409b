import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS, MatFormFieldDefaultOptions } from '@angular/material/form-field';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { routes } from './app.routes';
import { authInterceptor } from './core/http/auth.interceptor';
import { PLAN_LIMIT_DIALOG } from './core/http/plan-limit';
import { problemInterceptor } from './core/http/problem.interceptor';
import { provideAppIcons } from './core/icons/app-icons';
import { SESSION_DIALOGS, SessionDialogs } from './core/session/session-dialogs';
import { SessionStore } from './core/session/session.store';
import { ThemeService } from './core/theme/theme.service';

/** The feature dialogs the toolbar's session menus open, each loaded when first opened. */
export const sessionDialogs: SessionDialogs = {
  changePassword: () =>
    import('./features/auth/components/change-password-dialog/change-password-dialog').then(
      (m) => m.ChangePasswordDialog,
    ),
  createOrganization: () =>
    import('./features/organization/components/create-organization-dialog/create-organization-dialog').then(
      (m) => m.CreateOrganizationDialog,
    ),
};

/** The dialog every `plan_limit_reached` answer opens (core's PlanLimitPrompt), loaded when first needed. */
export const loadUpgradeDialog = () =>
  import('./features/billing/components/upgrade-dialog/upgrade-dialog').then((m) => m.UpgradeDialog);

/** One form-field appearance throughout the console: templates set none of their own. */
export const FORM_FIELD_DEFAULTS: MatFormFieldDefaultOptions = { appearance: 'outline' };

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(
      routes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'top' }),
    ),
    // The problem interceptor wraps the auth interceptor: an expired token is refreshed and the
    // request retried before any error reaches the user, so only the final outcome is reported.
    provideHttpClient(withFetch(), withInterceptors([problemInterceptor, authInterceptor])),
    provideAppIcons(),
    { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: FORM_FIELD_DEFAULTS },
    { provide: SESSION_DIALOGS, useValue: sessionDialogs },
    { provide: PLAN_LIMIT_DIALOG, useValue: loadUpgradeDialog },
    provideAppInitializer(() => {
      // Apply the stored or system theme before the first paint.
      inject(ThemeService);
      // Not awaited: the console must render even when the API is down.
      inject(SessionStore).restore();
    }),
  ],
};
