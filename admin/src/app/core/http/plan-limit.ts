import { inject, Injectable, InjectionToken, Injector, Type } from '@angular/core';
import { ErrorNotifier } from './error-notifier';
import { Problem } from './problem';

/** The problem code of any route that would pass the organization's plan (API-CONTRACT.md). */
export const PLAN_LIMIT_REACHED = 'plan_limit_reached';

/** The limits a `plan_limit_reached` problem names. */
export type PlanLimitName = 'members' | 'prompts' | 'apiRequests' | 'evaluations' | 'ownedOrganizations';

/** The extension members of a `plan_limit_reached` problem, as the upgrade dialog receives them. */
export interface PlanLimitReached {
  /** A `PlanLimitName`, or another name a newer server sends (the dialog then names no figure). */
  limit: string;
  /** The plan whose limit applies, e.g. `free`. */
  plan: string;
  /** The plan's maximum; null when the server did not say. */
  max: number | null;
  /** How many the organization has (or has used) now; null when the server did not say. */
  current: number | null;
  /** `${PUBLIC_URL}/billing`; the console routes to its own billing page instead. */
  upgradeUrl: string | null;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** The limit a problem reports, or null when it is not a `plan_limit_reached` problem. */
export function readPlanLimit(problem: Problem): PlanLimitReached | null {
  if (problem.code !== PLAN_LIMIT_REACHED) return null;
  const extensions = problem.extensions ?? {};
  return {
    limit: typeof extensions['limit'] === 'string' ? extensions['limit'] : 'unknown',
    plan: typeof extensions['plan'] === 'string' ? extensions['plan'] : 'unknown',
    max: numberOrNull(extensions['max']),
    current: numberOrNull(extensions['current']),
    upgradeUrl: typeof extensions['upgradeUrl'] === 'string' ? extensions['upgradeUrl'] : null,
  };
}

/**
 * The dialog that explains a reached limit and the way to a bigger plan. It belongs to the billing
 * feature, which `core/` must not import, so the app's root (app.config.ts) supplies a loader and
 * the dialog stays in the billing chunk until a limit is first reached. It receives a
 * `PlanLimitReached` as its data.
 */
export const PLAN_LIMIT_DIALOG = new InjectionToken<() => Promise<Type<unknown>>>('PLAN_LIMIT_DIALOG');

/**
 * Shows a reached plan limit to the user, once: answers that arrive while the dialog is open (two
 * creations refused at the same time) do not stack a second dialog on top. Without a registered
 * dialog, or when it cannot be loaded, the problem becomes the usual snackbar. Material's dialog
 * service loads with the dialog, like the session menus' dialogs: it stays out of the initial bundle.
 */
@Injectable({ providedIn: 'root' })
export class PlanLimitPrompt {
  private readonly injector = inject(Injector);
  private readonly notifier = inject(ErrorNotifier);
  private readonly loadDialog = inject(PLAN_LIMIT_DIALOG, { optional: true });
  private showing = false;

  /** Whether a limit is being shown (the dialog is loading or open). */
  get isShowing(): boolean {
    return this.showing;
  }

  show(problem: Problem): void {
    const reached = readPlanLimit(problem);
    if (!reached || this.showing) return;
    const fallback = () => this.notifier.notify(problem.detail ?? problem.title);
    if (!this.loadDialog) {
      fallback();
      return;
    }
    // Set before the (asynchronous) load, so a second answer in the meantime is ignored too.
    this.showing = true;
    Promise.all([import('@angular/material/dialog'), this.loadDialog()]).then(
      ([{ MatDialog }, component]) => {
        this.injector
          .get(MatDialog)
          .open(component, { data: reached, width: '30rem', autoFocus: 'first-tabbable' })
          .afterClosed()
          .subscribe(() => (this.showing = false));
      },
      () => {
        this.showing = false;
        fallback();
      },
    );
  }
}
