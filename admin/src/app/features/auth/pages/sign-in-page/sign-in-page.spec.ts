import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ExternalNavigation } from '../../../../core/auth/external-navigation';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { SignInPage } from './sign-in-page';

const PROBLEM = { 'Content-Type': 'application/problem+json' };

async function render(inputs: { returnUrl?: string; ssoError?: string } = {}) {
  const assign = vi.fn<(url: string) => void>();
  const notify = vi.fn();
  const { storage, provider } = memoryStorage();
  TestBed.configureTestingModule({
    imports: [SignInPage],
    providers: [
      provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify } },
      { provide: ExternalNavigation, useValue: { assign } },
    ],
  });
  const fixture = TestBed.createComponent(SignInPage);
  for (const [key, value] of Object.entries(inputs)) fixture.componentRef.setInput(key, value);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  return { fixture, root, assign, notify, storage, backend: TestBed.inject(HttpTestingController) };
}

function type(root: HTMLElement, label: string, value: string): void {
  const input = Array.from(root.querySelectorAll('mat-form-field'))
    .find((field) => field.querySelector('mat-label')?.textContent?.trim() === label)
    ?.querySelector('input');
  if (!input) throw new Error(`No field labelled ${label}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

/** Step one of the e-mail-first form: the e-mail, "Next", and a discovery that finds no SSO. */
async function passEmailStep(
  root: HTMLElement,
  fixture: { whenStable: () => Promise<unknown> },
  backend: HttpTestingController,
  email = 'ada@example.com',
): Promise<void> {
  type(root, 'E-mail', email);
  getByRole(root, 'button', 'Next').click();
  backend
    .expectOne((req) => req.url === '/api/v1/auth/sso/discover' && req.params.get('email') === email)
    .flush({ ssoRequired: false, loginUrl: null, organizationSlug: null });
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}

describe('SignInPage', () => {
  it('signs in with a cookie session (no token in storage) and goes to the return URL', async () => {
    const { root, fixture, backend, storage } = await render({ returnUrl: '/organization/members' });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await passEmailStep(root, fixture, backend);
    type(root, 'Password', 'correct horse battery');
    getByRole(root, 'button', 'Sign in').click();

    const login = backend.expectOne('/api/v1/auth/login');
    expect(login.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse battery' });
    expect(login.request.headers.get('X-Session-Mode')).toBe('cookie');
    login.flush({ accessToken: 'a1', expiresIn: 900 });
    backend
      .expectOne('/api/v1/me')
      .flush({ id: 'u1', email: 'ada@example.com', name: 'Ada', emailVerified: true, memberships: [] });
    await fixture.whenStable();

    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBeNull();
    expect(storage.getItem(STORAGE_KEYS.refreshToken)).toBeNull();
    expect(storage.getItem(STORAGE_KEYS.session)).toBe('cookie');
    expect(navigate).toHaveBeenCalledWith('/organization/members');
  });

  it('says "Wrong e-mail or password" for invalid_credentials, without a snackbar', async () => {
    const { root, fixture, backend, notify } = await render();
    await passEmailStep(root, fixture, backend);
    type(root, 'Password', 'wrong');
    getByRole(root, 'button', 'Sign in').click();
    backend
      .expectOne('/api/v1/auth/login')
      .flush(
        { title: 'Unauthorized', status: 401, code: 'invalid_credentials' },
        { status: 401, statusText: 'Unauthorized', headers: PROBLEM },
      );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('Wrong e-mail or password.');
    expect(notify).not.toHaveBeenCalled();
  });

  it('never follows a return URL to another origin', async () => {
    const { root, fixture, backend } = await render({ returnUrl: '//evil.example.com/x' });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await passEmailStep(root, fixture, backend);
    type(root, 'Password', 'correct horse battery');
    getByRole(root, 'button', 'Sign in').click();
    backend.expectOne('/api/v1/auth/login').flush({ accessToken: 'a1', expiresIn: 900 });
    backend
      .expectOne('/api/v1/me')
      .flush({ id: 'u1', email: 'a@b.c', name: 'A', emailVerified: true, memberships: [] });
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('"Sign in with SSO" reveals the organization slug and Continue goes to its SAML login', async () => {
    const { root, fixture, assign } = await render();
    expect(root.textContent).not.toContain('Organization slug');
    getByRole(root, 'button', 'Sign in with SSO').click();
    await fixture.whenStable();
    type(root, 'Organization slug', 'acme-corp');
    getByRole(root, 'button', 'Continue').click();
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/saml/acme-corp/login');
  });

  it('asks for the e-mail first and sends a domain that requires SSO straight to its IdP', async () => {
    const { root, fixture, backend, assign, storage } = await render();
    expect(root.textContent).not.toContain('Password');
    type(root, 'E-mail', 'ada@corp.example');
    getByRole(root, 'button', 'Next').click();
    backend
      .expectOne(
        (req) => req.url === '/api/v1/auth/sso/discover' && req.params.get('email') === 'ada@corp.example',
      )
      .flush({
        ssoRequired: true,
        loginUrl: 'http://pv.test/api/v1/auth/saml/corp/login',
        organizationSlug: 'corp',
      });
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/saml/corp/login');
    expect(storage.getItem(STORAGE_KEYS.lastOrganizationSlug)).toBe('corp');
    backend.expectNone('/api/v1/auth/login');
  });

  it('falls back to the password when discovery fails, and lets the e-mail be changed', async () => {
    const { root, fixture, backend, assign } = await render();
    type(root, 'E-mail', 'ada@example.com');
    getByRole(root, 'button', 'Next').click();
    backend
      .expectOne((req) => req.url === '/api/v1/auth/sso/discover')
      .flush(null, { status: 0, statusText: 'Unknown Error' });
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(root.textContent).toContain('Password');
    expect(assign).not.toHaveBeenCalled();
    getByRole(root, 'button', 'Change e-mail').click();
    await fixture.whenStable();
    expect(queryAllByRole(root, 'button', 'Next')).toHaveLength(1);
  });

  it("offers the remembered organization's single sign-on when it requires SSO", async () => {
    const assign = vi.fn<(url: string) => void>();
    const { provider } = memoryStorage({ [STORAGE_KEYS.lastOrganizationSlug]: 'acme' });
    TestBed.configureTestingModule({
      imports: [SignInPage],
      providers: [
        provider,
        provideRouter([]),
        provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
        { provide: ExternalNavigation, useValue: { assign } },
      ],
    });
    const fixture = TestBed.createComponent(SignInPage);
    await fixture.whenStable();
    const backend = TestBed.inject(HttpTestingController);
    backend
      .expectOne(
        (req) => req.url === '/api/v1/auth/sso/discover' && req.params.get('organization') === 'acme',
      )
      .flush({
        ssoRequired: true,
        loginUrl: 'http://pv.test/api/v1/auth/saml/acme/login',
        organizationSlug: 'acme',
      });
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    getByRole(root, 'button', 'Continue with single sign-on for acme').click();
    expect(assign).toHaveBeenCalledWith('/api/v1/auth/saml/acme/login');
  });

  it('shows the message for an ?ssoError= code', async () => {
    const { root } = await render({ ssoError: 'not_configured' });
    expect(queryAllByRole(root, 'alert')[0].textContent).toContain(
      'Single sign-on is not set up for this organization',
    );
  });

  it('asks a rate-limited visitor to wait before trying single sign-on again', async () => {
    const { root } = await render({ ssoError: 'rate_limited' });
    expect(queryAllByRole(root, 'alert')[0].textContent).toContain(
      'Too many failed single sign-on attempts from this network; wait a few minutes and try again.',
    );
  });
});
