import { InjectionToken, Type } from '@angular/core';

/**
 * The dialogs the toolbar's session menus open. They belong to features (auth, organization),
 * which `core/` must not import, so the app's root (app.config.ts) supplies loaders for them and
 * each dialog stays in its feature's lazily loaded chunk until someone opens it.
 */
export interface SessionDialogs {
  /** Changes the signed-in user's password; closes with `true` when changed. */
  changePassword: () => Promise<Type<unknown>>;
  /** Creates an organization and switches to it; closes with the organization when created. */
  createOrganization: () => Promise<Type<unknown>>;
}

export const SESSION_DIALOGS = new InjectionToken<SessionDialogs>('SESSION_DIALOGS');
