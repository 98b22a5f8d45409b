import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { firstValueFrom, filter, finalize, map, Observable, share, tap } from 'rxjs';
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

/**
 * Who is signed in and which organization they work in. The tokens and the chosen
 * organization persist in storage; the profile (`/me`) is loaded when a token exists.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly http = inject(HttpClient);
  private readonly authApi = inject(AuthApi);
  private readonly storage = inject(BROWSER_STORAGE);

  readonly accessToken = signal<string | null>(this.storage.getItem(STORAGE_KEYS.accessToken));
  private readonly selectedOrganizationId = signal<string | null>(
    this.storage.getItem(STORAGE_KEYS.organizationId),
  );
  readonly me = signal<Me | null>(null);
  readonly status = signal<SessionStatus>(this.accessToken() ? 'loading' : 'signed-out');
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
    abilityFor(this.currentOrganization()?.role ?? null, this.me()?.id ?? null),
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

  /** Loads the profile for a stored token; an invalid token signs the user out. */
  restore(): void {
    if (!this.accessToken()) {
      this.status.set('signed-out');
      return;
    }
    this.loadProfile().subscribe({ error: () => undefined });
  }

  /** Keeps the tokens of a successful sign-in and loads the profile; resolves with it. */
  signIn(tokens: TokenResponse, organizationId?: string): Promise<Me> {
    this.storeTokens(tokens);
    if (organizationId) this.persistOrganization(organizationId);
    return firstValueFrom(this.loadProfile());
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

  /** Ends the session on the server (best effort) and forgets it here. */
  signOut(): void {
    const refreshToken = this.storage.getItem(STORAGE_KEYS.refreshToken);
    if (refreshToken) this.authApi.signOut(refreshToken).subscribe({ error: () => undefined });
    this.clear();
  }

  /**
   * A new access token from the rotating refresh token. Concurrent callers share one request,
   * because a refresh token is single-use: a second exchange would revoke the whole session.
   * If another tab already rotated the tokens, its newer access token is used instead.
   */
  refreshAccessToken(rejectedToken: string): Observable<string> {
    const stored = this.storage.getItem(STORAGE_KEYS.accessToken);
    if (stored && stored !== rejectedToken) {
      this.accessToken.set(stored);
      return new Observable<string>((subscriber) => {
        subscriber.next(stored);
        subscriber.complete();
      });
    }
    if (this.refreshing) return this.refreshing;
    const refreshToken = this.storage.getItem(STORAGE_KEYS.refreshToken);
    if (!refreshToken) {
      this.clear();
      return new Observable<string>((subscriber) => subscriber.error(new Error('No refresh token')));
    }
    this.refreshing = this.authApi.refresh(refreshToken).pipe(
      tap({
        next: (tokens) => this.storeTokens(tokens),
        error: () => this.clear(),
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

  private storeTokens(tokens: TokenResponse): void {
    this.storage.setItem(STORAGE_KEYS.accessToken, tokens.accessToken);
    this.storage.setItem(STORAGE_KEYS.refreshToken, tokens.refreshToken);
    this.accessToken.set(tokens.accessToken);
  }

  private clear(): void {
    this.storage.removeItem(STORAGE_KEYS.accessToken);
    this.storage.removeItem(STORAGE_KEYS.refreshToken);
    this.storage.removeItem(STORAGE_KEYS.organizationId);
    this.accessToken.set(null);
    this.selectedOrganizationId.set(null);
    this.me.set(null);
    this.status.set('signed-out');
  }

  private persistOrganization(organizationId: string): void {
    this.selectedOrganizationId.set(organizationId);
    this.storage.setItem(STORAGE_KEYS.organizationId, organizationId);
  }
}
