import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { routes } from './app.routes';
import { authInterceptor } from './core/http/auth.interceptor';
import { problemInterceptor } from './core/http/problem.interceptor';
import { provideAppIcons } from './core/icons/app-icons';
import { SessionStore } from './core/session/session.store';
import { ThemeService } from './core/theme/theme.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(
      routes,
      withComponentInputBinding(),
      withInMemoryScrolling({ scrollPositionRestoration: 'top' }),
    ),
    // The auth interceptor runs first so the problem interceptor sees the final request.
    provideHttpClient(withFetch(), withInterceptors([authInterceptor, problemInterceptor])),
    provideAppIcons(),
    provideAppInitializer(() => {
      // Apply the stored or system theme before the first paint.
      inject(ThemeService);
      // Not awaited: the console must render even when the API is down.
      inject(SessionStore).restore();
    }),
  ],
};
