import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { API_BASE, Me, Membership } from '../api/api-types';
import { SILENT_ERRORS } from '../http/problem.interceptor';
import { ProblemError } from '../http/problem';
import { BROWSER_STORAGE, STORAGE_KEYS } from '../storage/browser-storage';

export type SessionStatus = 'signed-out' | 'loading' | 'ready' | 'error';

/**
 * Who is signed in and which organization they work in. The token and the chosen
 * organization persist in storage; the profile (`/me`) is loaded when a token exists.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly http = inject(HttpClient);
  private readonly storage = inject(BROWSER_STORAGE);

  readonly accessToken = signal<string | null>(this.storage.getItem(STORAGE_KEYS.accessToken));
  private readonly selectedOrganizationId = signal<string | null>(
    this.storage.getItem(STORAGE_KEYS.organizationId),
  );
  readonly me = signal<Me | null>(null);
  readonly status = signal<SessionStatus>(this.accessToken() ? 'loading' : 'signed-out');

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

  /** Loads the profile for a stored token; an invalid token signs the user out. */
  restore(): void {
    if (!this.accessToken()) {
      this.status.set('signed-out');
      return;
    }
    this.status.set('loading');
    this.http.get<Me>(`${API_BASE}/me`, { context: new HttpContext().set(SILENT_ERRORS, true) }).subscribe({
      next: (me) => {
        this.me.set(me);
        this.status.set('ready');
        const current = this.currentOrganization();
        if (current) this.persistOrganization(current.organizationId);
      },
      error: (error: unknown) => {
        const status =
          error instanceof ProblemError
            ? error.status
            : error instanceof HttpErrorResponse
              ? error.status
              : 0;
        if (status === 401) {
          this.signOut();
        } else {
          this.status.set('error');
        }
      },
    });
  }

  selectOrganization(organizationId: string): void {
    if (!this.memberships().some((m) => m.organizationId === organizationId)) return;
    this.persistOrganization(organizationId);
  }

  signOut(): void {
    this.storage.removeItem(STORAGE_KEYS.accessToken);
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
