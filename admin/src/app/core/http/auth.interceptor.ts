import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, switchMap, throwError } from 'rxjs';
import { API_BASE } from '../api/api-types';
import { SessionStore } from '../session/session.store';

function isApiRequest(url: string): boolean {
  // Only our own relative API paths: a token must never travel to another origin.
  return url.startsWith(`${API_BASE}/`) || url === API_BASE;
}

/** The account flows answer 401 for wrong credentials or tokens; refreshing would not help them. */
function isAuthFlow(url: string): boolean {
  return url.startsWith(`${API_BASE}/auth/`);
}

/**
 * The headers that identify the caller on an API call: the bearer token and, with it, the current
 * organization. Also used by calls that cannot go through HttpClient (the playground's streaming
 * `fetch`), so both send exactly the same credentials.
 */
export function credentialHeaders(
  token: string | null,
  organizationId: string | null,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (token && organizationId) headers['X-Organization-Id'] = organizationId;
  return headers;
}

function withCredentials(
  req: HttpRequest<unknown>,
  token: string | null,
  organizationId: string | null,
): HttpRequest<unknown> {
  const headers = Object.fromEntries(
    Object.entries(credentialHeaders(token, organizationId)).filter(([name]) => !req.headers.has(name)),
  );
  return Object.keys(headers).length ? req.clone({ setHeaders: headers }) : req;
}

/**
 * Adds the bearer token and the current organization to API calls when the session has them.
 * When the access token has expired (401), it is refreshed once, shared by all requests
 * that failed meanwhile, and the request is retried; if that fails the session ends and
 * the original 401 reaches the caller.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isApiRequest(req.url)) return next(req);
  const session = inject(SessionStore);
  const token = session.accessToken();
  const first = withCredentials(req, token, session.organizationId());
  if (!token || isAuthFlow(req.url) || req.headers.has('Authorization')) return next(first);

  return next(first).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      // Refused: the role may have been narrowed meanwhile, so the menu should follow.
      if (error.status === 403) session.revalidate();
      if (error.status !== 401) return throwError(() => error);
      return session.refreshAccessToken(token).pipe(
        catchError(() => throwError(() => error)),
        switchMap((fresh) => next(withCredentials(req, fresh, session.organizationId()))),
      );
    }),
  );
};
