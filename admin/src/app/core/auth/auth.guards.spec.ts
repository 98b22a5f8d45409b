import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, provideRouter, Router, RouterStateSnapshot, UrlTree } from '@angular/router';
import { memoryStorage } from '../../../testing/test-helpers';
import { Me, MembershipRole } from '../api/api-types';
import { authInterceptor } from '../http/auth.interceptor';
import { SessionStore } from '../session/session.store';
import { STORAGE_KEYS } from '../storage/browser-storage';
import { permissionGuard, safeReturnUrl, signedInGuard, signedOutGuard } from './auth.guards';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'a@example.com',
  name: 'A',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

function setup(stored: Record<string, string>) {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage(stored).provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    ],
  });
  const session = TestBed.inject(SessionStore);
  session.restore();
  return { session, backend: TestBed.inject(HttpTestingController), router: TestBed.inject(Router) };
}

function run(guard: typeof signedInGuard, url = '/organization/members', query: Record<string, string> = {}) {
  const route = { queryParamMap: new Map(Object.entries(query)) } as unknown as ActivatedRouteSnapshot;
  return TestBed.runInInjectionContext(() => guard(route, { url } as RouterStateSnapshot)) as Promise<
    boolean | UrlTree
  >;
}

describe('auth guards', () => {
  it('sends a signed-out visitor to sign in with the way back', async () => {
    const { router } = setup({});
    const result = await run(signedInGuard);
    expect(router.serializeUrl(result as UrlTree)).toBe('/sign-in?returnUrl=%2Forganization%2Fmembers');
  });

  it('waits for the profile and lets a signed-in user through', async () => {
    const { backend } = setup({ [STORAGE_KEYS.accessToken]: 't' });
    const result = run(signedInGuard);
    backend.expectOne('/api/v1/me').flush(me('VIEWER'));
    expect(await result).toBe(true);
  });

  it('turns away roles without the permission to the home page', async () => {
    const { backend, router } = setup({ [STORAGE_KEYS.accessToken]: 't' });
    const result = run(permissionGuard({ action: 'manage', subject: 'SsoSettings' }));
    backend.expectOne('/api/v1/me').flush(me('EDITOR'));
    expect(router.serializeUrl((await result) as UrlTree)).toBe('/');
  });

  it('lets OWNER and ADMIN into the SSO settings', async () => {
    const { backend } = setup({ [STORAGE_KEYS.accessToken]: 't' });
    const result = run(permissionGuard({ action: 'manage', subject: 'SsoSettings' }));
    backend.expectOne('/api/v1/me').flush(me('ADMIN'));
    expect(await result).toBe(true);
  });

  it('sends a signed-in user away from the sign-in page to a safe return URL', async () => {
    const { backend, router } = setup({ [STORAGE_KEYS.accessToken]: 't' });
    const result = run(signedOutGuard, '/sign-in', { returnUrl: '/organization/api-keys' });
    backend.expectOne('/api/v1/me').flush(me('VIEWER'));
    expect(router.serializeUrl((await result) as UrlTree)).toBe('/organization/api-keys');
  });

  it('never returns to another origin', () => {
    expect(safeReturnUrl('//evil.example')).toBe('/');
    expect(safeReturnUrl('https://evil.example')).toBe('/');
    expect(safeReturnUrl('/\\evil.example')).toBe('/');
    expect(safeReturnUrl('/organization/members?x=1')).toBe('/organization/members?x=1');
    expect(safeReturnUrl(null)).toBe('/');
  });
});
