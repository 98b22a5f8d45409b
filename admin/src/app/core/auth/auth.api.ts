import { HttpClient, HttpContext, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Observable } from 'rxjs';
import {
  AcceptedInvite,
  API_BASE,
  LoginRequest,
  SignupRequest,
  SignupResponse,
  SsoDiscovery,
  SsoExchangeResponse,
  TokenResponse,
} from '../api/api-types';
import { SILENT_ERRORS } from '../http/problem.interceptor';

export type { SsoExchangeResponse };

/** For calls whose page shows the error itself: no snackbar, still a typed ProblemError. */
export const silent = () => new HttpContext().set(SILENT_ERRORS, true);

/**
 * Cookie mode: the refresh token travels only as an HttpOnly cookie scoped to /auth/refresh and
 * /auth/logout, never through this code. The header is also what the server's CSRF check asks for.
 */
const COOKIE_SESSION = { headers: new HttpHeaders({ 'X-Session-Mode': 'cookie' }) };

/** The account endpoints (no organization context). */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  /** Silent: the sign-up form shows a taken e-mail and field errors itself. */
  signUp(body: SignupRequest): Observable<SignupResponse> {
    return this.http.post<SignupResponse>(`${API_BASE}/auth/signup`, body, { context: silent() });
  }

  /** Silent: the sign-in form shows 401/403/429 itself, next to the fields. Sets the session cookie. */
  signIn(body: LoginRequest): Observable<TokenResponse> {
    return this.http.post<TokenResponse>(`${API_BASE}/auth/login`, body, {
      ...COOKIE_SESSION,
      context: silent(),
    });
  }

  /**
   * A new access token through the session cookie, which rotates. With `refreshToken` (one that
   * arrived in a body: the SSO exchange, an older console's storage) the session moves into the cookie.
   */
  refresh(refreshToken?: string): Observable<TokenResponse> {
    return this.http.post<TokenResponse>(`${API_BASE}/auth/refresh`, refreshToken ? { refreshToken } : {}, {
      ...COOKIE_SESSION,
      context: silent(),
    });
  }

  /** Ends the cookie's session on the server and clears the cookie. */
  signOut(): Observable<void> {
    return this.http.post<void>(`${API_BASE}/auth/logout`, {}, { ...COOKIE_SESSION, context: silent() });
  }

  exchangeSsoCode(code: string): Observable<SsoExchangeResponse> {
    return this.http.post<SsoExchangeResponse>(
      `${API_BASE}/auth/saml/exchange`,
      { code },
      { context: silent() },
    );
  }

  verifyEmail(token: string): Observable<void> {
    return this.http.post<void>(`${API_BASE}/auth/verify-email`, { token }, { context: silent() });
  }

  forgotPassword(email: string): Observable<void> {
    return this.http.post<void>(`${API_BASE}/auth/password/forgot`, { email });
  }

  resetPassword(token: string, password: string): Observable<void> {
    return this.http.post<void>(`${API_BASE}/auth/password/reset`, { token, password });
  }

  /** Silent: the dialog shows a wrong current password under the field, anything else in itself. */
  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.http.post<void>(
      `${API_BASE}/auth/password/change`,
      { currentPassword, newPassword },
      { context: silent() },
    );
  }

  acceptInvite(token: string): Observable<AcceptedInvite> {
    return this.http.post<AcceptedInvite>(`${API_BASE}/invites/accept`, { token }, { context: silent() });
  }

  /**
   * SSO-first sign-in: whether this e-mail's domain (or the remembered organization) requires
   * single sign-on. Silent: the sign-in page falls back to the password when it fails.
   */
  discoverSso(query: { email?: string; organization?: string }): Observable<SsoDiscovery> {
    const params = Object.fromEntries(Object.entries(query).filter(([, v]) => !!v)) as Record<string, string>;
    return this.http.get<SsoDiscovery>(`${API_BASE}/auth/sso/discover`, { params, context: silent() });
  }

  /** Where the browser goes to start SAML sign-in for an organization. */
  ssoLoginUrl(slug: string): string {
    return `${API_BASE}/auth/saml/${encodeURIComponent(slug)}/login`;
  }
}
