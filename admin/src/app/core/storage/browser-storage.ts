import { InjectionToken } from '@angular/core';

/** The subset of Web Storage the console uses; tests provide an in-memory one. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const STORAGE_KEYS = {
  /**
   * Where consoles before cookie sessions kept the tokens. Nothing writes them any more: a session
   * found there is taken over once (the refresh token moves into the HttpOnly cookie) and deleted.
   */
  accessToken: 'pv.accessToken',
  refreshToken: 'pv.refreshToken',
  /** `cookie` while this browser holds a session cookie (no secret: it saves signed-out visitors a refresh call). */
  session: 'pv.session',
  organizationId: 'pv.organizationId',
  /** The slug of the organization last worked in: the sign-in page asks whether it requires SSO. */
  lastOrganizationSlug: 'pv.lastOrganizationSlug',
  theme: 'pv.theme',
} as const;

/** In-memory fallback for browsers that block localStorage (private modes, strict cookie settings). */
export class MemoryStorage implements KeyValueStorage {
  private readonly values = new Map<string, string>();

  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }

  removeItem(key: string): void {
    this.values.delete(key);
  }
}

export const BROWSER_STORAGE = new InjectionToken<KeyValueStorage>('BROWSER_STORAGE', {
  providedIn: 'root',
  factory: () => {
    try {
      const storage = globalThis.localStorage;
      const probe = '__pv_probe__';
      storage.setItem(probe, probe);
      storage.removeItem(probe);
      return storage;
    } catch {
      // Storage access throws when the browser denies it; the session then lasts one page load.
      return new MemoryStorage();
    }
  },
});
