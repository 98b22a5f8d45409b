import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { memoryStorage } from '../../../../testing/test-helpers';
import { Me, Role } from '../../../core/api/api-types';
import { ExternalNavigation } from '../../../core/auth/external-navigation';
import { authInterceptor } from '../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../core/icons/app-icons';
import { SessionStore } from '../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../core/storage/browser-storage';
import { BillingOverview } from '../data/billing.api';
import { CHECKOUT_REFRESH_DELAYS_MS } from '../data/billing.store';

/** Test data and set-up shared by the billing specs (not part of the console build's behaviour). */
export const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };

export function overview(patch: Partial<BillingOverview> = {}): BillingOverview {
  return {
    plan: 'free',
    status: 'none',
    cancelAtPeriodEnd: false,
    stripeEnabled: true,
    limits: {
      members: 5,
      prompts: 100,
      versionHistory: { versions: 3, days: null },
      apiRequests: { limit: 1000, windowSeconds: 3600 },
      evaluationsPerMonth: 0,
      ownedOrganizations: 1,
    },
    usage: { members: 2, prompts: 42, apiRequests: 10, evaluationsThisMonth: 0 },
    ...patch,
  };
}

export function me(role: Role): Me {
  return {
    id: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
  };
}

export interface BillingTestBed {
  backend: HttpTestingController;
  notify: (message: string) => void;
  assign: (url: string) => void;
}

/**
 * A signed-in session in organization o1 with `role`, the app's interceptors, and seams for the
 * snackbar of errors and the redirect to Stripe.
 */
export function setUpBilling(
  role: Role,
  spies: { notify: (message: string) => void; assign: (url: string) => void },
  providers: Provider[] = [],
): HttpTestingController {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: spies.notify } },
      { provide: ExternalNavigation, useValue: { assign: spies.assign } },
      { provide: CHECKOUT_REFRESH_DELAYS_MS, useValue: [0, 0, 0] },
      ...providers,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  return backend;
}
