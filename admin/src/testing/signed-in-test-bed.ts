import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider, Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Me, MembershipRole } from '../app/core/api/api-types';
import { authInterceptor } from '../app/core/http/auth.interceptor';
import { ErrorNotifier } from '../app/core/http/error-notifier';
import { problemInterceptor } from '../app/core/http/problem.interceptor';
import { provideAppIcons } from '../app/core/icons/app-icons';
import { SessionStore } from '../app/core/session/session.store';
import { STORAGE_KEYS } from '../app/core/storage/browser-storage';
import { memoryStorage } from './test-helpers';

/** Ada, signed in with `role` in organization o1 (Acme). */
export const signedInMe = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

/**
 * The test module of a store or page spec: the component(s) in `imports`, extra `providers`, the
 * console's HTTP interceptors over the HTTP fake, the icons, a silent error notifier and a session
 * restored as Ada with `role` in organization o1. Answers the HTTP fake, `/me` already answered.
 */
export function configureSignedIn(
  role: MembershipRole,
  {
    imports = [],
    providers = [],
  }: { imports?: Type<unknown>[]; providers?: (Provider | EnvironmentProviders)[] } = {},
): HttpTestingController {
  TestBed.configureTestingModule({
    imports,
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      ...providers,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(signedInMe(role));
  return backend;
}
