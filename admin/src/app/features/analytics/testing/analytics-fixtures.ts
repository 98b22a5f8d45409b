import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { vi } from 'vitest';
import { memoryStorage } from '../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../core/api/api-types';
import { authInterceptor } from '../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { SessionStore } from '../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../core/storage/browser-storage';
import { AnalyticsSummary, Budget, SummaryTotals } from '../data/analytics.types';

export const ORG = 'o1';

export const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: ORG, organizationName: 'Acme', slug: 'acme', role }],
});

export const totals = (over: Partial<SummaryTotals> = {}): SummaryTotals => ({
  runs: 0,
  fetches: 0,
  renders: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  activeUsers: 0,
  promptsCreated: 0,
  ...over,
});

export const summary = (
  over: Partial<SummaryTotals> = {},
  previous: Partial<SummaryTotals> = {},
): AnalyticsSummary => ({
  period: { from: '2026-11-06T00:00:00.000Z', to: '2026-12-06T00:00:00.000Z' },
  ...totals(over),
  previous: totals(previous),
});

export const budget = (over: Partial<Budget> = {}): Budget => ({
  monthlyLimitUsd: 100,
  thresholds: [50, 80, 100],
  hardStop: false,
  monthlyReport: false,
  spentUsd: 0,
  percent: 0,
  crossed: [],
  ...over,
});

/** HTTP through the console's interceptors, a signed-in member of ORG with the role. */
export function analyticsProviders(
  extra: (Provider | EnvironmentProviders)[] = [],
): (Provider | EnvironmentProviders)[] {
  return [
    memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: ORG }).provider,
    provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
    provideHttpClientTesting(),
    { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ...extra,
  ];
}

/** Restores the session as a member with the role (answers `/me`). */
export function signIn(role: MembershipRole): HttpTestingController {
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  return backend;
}

export const flushMicrotasks = () => new Promise((resolve) => setTimeout(resolve));

/**
 * Lets answers and signals propagate and renders. Not `whenStable()`: a resource still waiting
 * for its answer keeps the application unstable.
 */
export async function settle(fixture: { detectChanges: () => void }): Promise<void> {
  await flushMicrotasks();
  fixture.detectChanges();
  await flushMicrotasks();
  fixture.detectChanges();
}

/**
 * afterEach: no request left unanswered, then a fresh TestBed even when that check fails (a failing
 * hook would skip the global reset and break the next spec's configureTestingModule).
 */
export function verifyAndReset(): void {
  try {
    TestBed.inject(HttpTestingController).verify();
  } finally {
    TestBed.resetTestingModule();
    vi.restoreAllMocks();
  }
}
