import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { API_BASE } from '../api/api-types';
import { SessionStore } from '../session/session.store';

function isApiRequest(url: string): boolean {
  // Only our own relative API paths: a token must never travel to another origin.
  return url.startsWith(`${API_BASE}/`) || url === API_BASE;
}

/** Adds the bearer token and the current organization to API calls when the session has them. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isApiRequest(req.url)) return next(req);
  const session = inject(SessionStore);
  const token = session.accessToken();
  const organizationId = session.organizationId();
  const headers: Record<string, string> = {};
  if (token && !req.headers.has('Authorization')) headers['Authorization'] = `Bearer ${token}`;
  if (token && organizationId && !req.headers.has('X-Organization-Id')) {
    headers['X-Organization-Id'] = organizationId;
  }
  return next(Object.keys(headers).length ? req.clone({ setHeaders: headers }) : req);
};
