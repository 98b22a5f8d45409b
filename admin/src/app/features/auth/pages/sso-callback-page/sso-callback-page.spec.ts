import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { SsoCallbackPage } from './sso-callback-page';

function render(code: string | undefined) {
  const { storage, provider } = memoryStorage();
  TestBed.configureTestingModule({
    imports: [SsoCallbackPage],
    providers: [
      provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  const fixture = TestBed.createComponent(SsoCallbackPage);
  if (code) fixture.componentRef.setInput('code', code);
  TestBed.tick();
  return {
    fixture,
    storage,
    navigate,
    root: fixture.nativeElement as HTMLElement,
    backend: TestBed.inject(HttpTestingController),
  };
}

describe('SsoCallbackPage', () => {
  it('exchanges the one-time code and signs into the organization of the SSO sign-in', async () => {
    const { fixture, backend, storage, navigate } = render('one-time-code');
    const exchange = backend.expectOne('/api/v1/auth/saml/exchange');
    expect(exchange.request.body).toEqual({ code: 'one-time-code' });
    exchange.flush({ accessToken: 'a1', refreshToken: 'r1', expiresIn: 900, organizationId: 'o2' });
    // The exchange's refresh token moves into the HttpOnly cookie at once.
    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'r1' });
    expect(refresh.request.headers.get('X-Session-Mode')).toBe('cookie');
    refresh.flush({ accessToken: 'a2', expiresIn: 900 });
    const me = backend.expectOne('/api/v1/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer a2');
    me.flush({
      id: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      emailVerified: true,
      memberships: [
        { organizationId: 'o1', organizationName: 'Own', slug: 'own', role: 'OWNER' },
        { organizationId: 'o2', organizationName: 'Acme', slug: 'acme', role: 'EDITOR' },
      ],
    });
    await fixture.whenStable();

    expect(storage.getItem(STORAGE_KEYS.refreshToken)).toBeNull();
    expect(TestBed.inject(SessionStore).currentOrganization()?.organizationId).toBe('o2');
    expect(navigate).toHaveBeenCalledWith('/', { replaceUrl: true });
  });

  it('explains an expired or reused code and offers the way back', async () => {
    const { fixture, backend, root, navigate } = render('used-code');
    backend.expectOne('/api/v1/auth/saml/exchange').flush(
      {
        title: 'Unauthorized',
        status: 401,
        code: 'sso_code_invalid',
        detail: 'The code is invalid or expired',
      },
      { status: 401, statusText: 'Unauthorized', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('This sign-in link is no longer valid');
    expect(getByRole(root, 'link', 'Back to sign in').getAttribute('href')).toBe('/sign-in');
    expect(navigate).not.toHaveBeenCalled();
  });

  it('says so when the link has no code', async () => {
    const { fixture, root, backend } = render(undefined);
    await fixture.whenStable();
    backend.expectNone('/api/v1/auth/saml/exchange');
    expect(getByRole(root, 'alert').textContent).toContain('incomplete');
  });
});
