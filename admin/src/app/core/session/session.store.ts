import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import {
  defer,
  firstValueFrom,
  filter,
  finalize,
  from,
  map,
  Observable,
  of,
  share,
  switchMap,
  tap,
} from 'rxjs';
import { API_BASE, Me, Membership, TokenResponse } from '../api/api-types';
import { AuthApi } from '../auth/auth.api';
import { abilityFor, Action, SubjectName } from '../auth/ability';
import { SILENT_ERRORS } from '../http/problem.interceptor';
import { ProblemError } from '../http/problem';
import { BROWSER_STORAGE, STORAGE_KEYS } from '../storage/browser-storage';

export type SessionStatus = 'signed-out' | 'loading' | 'ready' | 'error';

function statusOf(error: unknown): number {
  if (error instanceof ProblemError) return error.status;
  if (error instanceof HttpErrorResponse) return error.status;
  return 0;
}

function isRefusal(error: unknown): boolean {
  const status = statusOf(error);
  return status >= 400 && status < 500;
}

/**
 * `request` while holding the browser-wide refresh lock, so two tabs never spend the same refresh
 * cookie at once (the second exchange would count as reuse and end the session); the tab that
 * waits sends the cookie the first one rotated. Without Web Locks it simply runs.
 */
function withRefreshLock<T>(request: Observable<T>): Observable<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return request;
  return defer(() => from(locks.request('pv.refresh', () => firstValueFrom(request)) as Promise<T>));
}

/**
 * Who is signed in and which organization they work in. The access token lives in memory only;
 * the refresh token is an HttpOnly cookie this code never sees, so after a reload the session is
 * resumed by a refresh through the cookie. Only the chosen organization and a "has a session"
 * flag persist in storage.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly http = inject(HttpClient);
  private readonly authApi = inject(AuthApi);
  private readonly storage = inject(BROWSER_STORAGE);

  /** A session an older console left in storage: used once to move it into the cookie. */
  private legacyRefreshToken = this.takeFromStorage(STORAGE_KEYS.refreshToken);
  readonly accessToken = signal<string | null>(this.takeFromStorage(STORAGE_KEYS.accessToken));
  private readonly selectedOrganizationId = signal<string | null>(
    this.storage.getItem(STORAGE_KEYS.organizationId),
  );
  readonly me = signal<Me | null>(null);
  readonly status = signal<SessionStatus>(this.mayResume() ? 'loading' : 'signed-out');
  private readonly settled$ = toObservable(this.status).pipe(filter((status) => status !== 'loading'));
  private lastRevalidation = 0;
  /** The refresh in flight, shared by every request that met a 401 meanwhile. */
  private refreshing: Observable<string> | null = null;

  readonly signedIn = computed(() => this.accessToken() !== null);
  readonly memberships = computed<Membership[]>(() => this.me()?.memberships ?? []);
  /** The stored choice if the user still belongs to it, else their first organization. */
  readonly currentOrganization = computed<Membership | null>(() => {
    const memberships = this.memberships();
    const selected = this.selectedOrganizationId();
    return memberships.find((m) => m.organizationId === selected) ?? memberships[0] ?? null;
  });
  /** Sent as X-Organization-Id; before /me answers, the stored choice is the best guess. */
  readonly organizationId = computed<string | null>(
    () => this.currentOrganization()?.organizationId ?? this.selectedOrganizationId(),
  );
  /** What the user may do in the current organization (the API's own CASL rules). */
  readonly ability = computed(() =>
    abilityFor(
      this.currentOrganization()?.role ?? null,
      this.me()?.id ?? null,
      this.currentOrganization()?.policies,
    ),
  );

  constructor() {
    const document = inject(DOCUMENT);
    const onVisible = () => {
      if (document.visibilityState === 'visible') this.revalidate();
    };
    document.addEventListener('visibilitychange', onVisible);
    inject(DestroyRef).onDestroy(() => document.removeEventListener('visibilitychange', onVisible));
  }

  can(action: Action, subject: SubjectName): boolean {
    return this.ability().can(action, subject);
  }

  /** Resolves once the profile has loaded or failed (immediately when nothing is loading). */
  whenSettled(): Promise<SessionStatus> {
    return firstValueFrom(this.settled$);
  }

  /**
   * Resumes the session after a (re)load: a refresh through the cookie, then the profile. A
   * session that cannot be resumed signs the user out.
   */
  restore(): void {
    if (!this.mayResume()) {
      this.status.set('signed-out');
      return;
    }
    const token = this.accessToken();
    const profile = token
      ? this.loadProfile()
      : this.refreshAccessToken(null).pipe(switchMap(() => this.loadProfile()));
    this.status.set('loading');
    profile.subscribe({ error: () => undefined });
  }

  /**
   * Keeps the access token of a successful sign-in and loads the profile; resolves with it. Tokens
   * that carry a refresh token in the body (the SSO exchange) are first moved into the cookie.
   */
  signIn(tokens: TokenResponse, organizationId?: string): Promise<Me> {
    const session = tokens.refreshToken ? this.authApi.refresh(tokens.refreshToken) : of(tokens);
    return firstValueFrom(
      session.pipe(
        switchMap((cookieTokens) => {
          this.storeTokens(cookieTokens);
          if (organizationId) this.persistOrganization(organizationId);
          return this.loadProfile();
        }),
      ),
    );
  }

  /** Re-reads `/me`, e.g. after joining or creating an organization or a role change. */
  reload(): Promise<Me> {
    return firstValueFrom(this.loadProfile());
  }

  /**
   * Re-reads `/me` in the background when the role may have changed elsewhere (another admin
   * changed it): after a 403, or when the tab is shown again. At most one every 15 seconds,
   * and without a loading state, so the page stays as it is unless the memberships changed.
   */
  revalidate(): void {
    const now = Date.now();
    if (!this.signedIn() || this.status() === 'loading' || now - this.lastRevalidation < 15_000) return;
    this.lastRevalidation = now;
    this.http
      .get<Me>(`${API_BASE}/me`, { context: new HttpContext().set(SILENT_ERRORS, true) })
      .subscribe({ next: (me) => this.me.set(me), error: () => undefined });
  }

  selectOrganization(organizationId: string): void {
    if (!this.memberships().some((m) => m.organizationId === organizationId)) return;
    this.persistOrganization(organizationId);
  }

  /** Ends the session on the server (best effort; it clears the cookie) and forgets it here. */
  signOut(): void {
    this.authApi.signOut().subscribe({ error: () => undefined });
    this.clear();
  }

  /**
   * A new access token through the session cookie, which rotates. Concurrent callers share one
   * request, and tabs take turns (`withRefreshLock`), because a refresh token is single-use: a
   * second exchange of the same one would revoke the whole session. A token that replaced
   * `rejectedToken` meanwhile is used instead of refreshing again.
   */
  refreshAccessToken(rejectedToken: string | null): Observable<string> {
    const current = this.accessToken();
    if (current && current !== rejectedToken) return of(current);
    if (this.refreshing) return this.refreshing;
    const legacy = this.legacyRefreshToken ?? undefined;
    this.legacyRefreshToken = null;
    this.refreshing = withRefreshLock(this.authApi.refresh(legacy)).pipe(
      tap({
        next: (tokens) => this.storeTokens(tokens),
        // Refused (ended, reused, expired): signed out. Unreachable: the session may still be good.
        error: (error: unknown) => (isRefusal(error) ? this.clear() : this.status.set('error')),
      }),
      map((tokens) => tokens.accessToken),
      finalize(() => (this.refreshing = null)),
      share(),
    );
    return this.refreshing;
  }

  private loadProfile(): Observable<Me> {
    this.status.set('loading');
    return this.http.get<Me>(`${API_BASE}/me`, { context: new HttpContext().set(SILENT_ERRORS, true) }).pipe(
      tap({
        next: (me) => {
          this.me.set(me);
          this.status.set('ready');
          const current = this.currentOrganization();
          if (current) this.persistOrganization(current.organizationId);
        },
        error: (error: unknown) => {
          if (statusOf(error) === 401) this.clear();
          else this.status.set('error');
        },
      }),
      share(),
    );
  }

  /** Only the access token is kept, in memory; the refresh token is the server's cookie. */
  private storeTokens(tokens: TokenResponse): void {
    this.storage.setItem(STORAGE_KEYS.session, 'cookie');
    this.accessToken.set(tokens.accessToken);
  }

  private clear(): void {
    this.storage.removeItem(STORAGE_KEYS.session);
    this.storage.removeItem(STORAGE_KEYS.organizationId);
    this.legacyRefreshToken = null;
    this.accessToken.set(null);
    this.selectedOrganizationId.set(null);
    this.me.set(null);
    this.status.set('signed-out');
  }

  /** Whether there is a session to resume: a token in memory, the cookie's flag, or a legacy token. */
  private mayResume(): boolean {
    return (
      this.accessToken() !== null ||
      this.legacyRefreshToken !== null ||
      this.storage.getItem(STORAGE_KEYS.session) === 'cookie'
    );
  }

  /** Reads a value that must not stay in storage, and deletes it. */
  private takeFromStorage(key: string): string | null {
    const value = this.storage.getItem(key);
    if (value !== null) this.storage.removeItem(key);
    return value;
  }

  private persistOrganization(organizationId: string): void {
    this.selectedOrganizationId.set(organizationId);
    this.storage.setItem(STORAGE_KEYS.organizationId, organizationId);
    // Kept after sign-out (clear() leaves it), so the sign-in page can send SSO users straight on.
    const slug = this.memberships().find((m) => m.organizationId === organizationId)?.slug;
    if (slug) this.storage.setItem(STORAGE_KEYS.lastOrganizationSlug, slug);
  }
}
