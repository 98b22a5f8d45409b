import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { InvitePreview } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SignUpPage } from './sign-up-page';

/** Lets the page's awaited answer land (a resolved promise, then a render). */
async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}

const PROBLEM = { 'Content-Type': 'application/problem+json' };
const TOKEN = 'invite-token-0123456789abcdef';
const PREVIEW: InvitePreview = {
  organizationName: 'Acme Prompts',
  role: 'VIEWER',
  invitedBy: { name: 'Olivia Owner' },
  email: 'ivy@example.com',
  expiresAt: '2026-12-12T10:00:00Z',
};

async function render(inputs: { inviteToken?: string; returnUrl?: string } = {}) {
  TestBed.configureTestingModule({
    imports: [SignUpPage],
    providers: [
      memoryStorage().provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  const fixture = TestBed.createComponent(SignUpPage);
  for (const [key, value] of Object.entries(inputs)) fixture.componentRef.setInput(key, value);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  return { fixture, root, navigate, backend: TestBed.inject(HttpTestingController) };
}

function field(root: HTMLElement, label: string): HTMLInputElement | null {
  return (
    Array.from(root.querySelectorAll('mat-form-field'))
      .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
      ?.querySelector('input') ?? null
  );
}

function type(root: HTMLElement, label: string, value: string): void {
  const input = field(root, label);
  if (!input) throw new Error(`No field labelled ${label}`);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

/** Signs in after the sign-up and loads the profile, as the store does. */
function finishSession(backend: HttpTestingController, memberships: unknown[]): void {
  backend.expectOne('/api/v1/auth/login').flush({ accessToken: 'a', expiresIn: 900 });
  backend
    .expectOne('/api/v1/me')
    .flush({ id: 'u9', email: 'x@example.com', name: 'X', emailVerified: true, memberships });
}

describe('SignUpPage', () => {
  it('asks for the organization name, suggesting one from the name until the user edits it', async () => {
    const { root, fixture, backend, navigate } = await render();
    type(root, 'Name', 'Ada Lovelace');
    await fixture.whenStable();
    expect(field(root, 'Organization name')?.value).toBe("Ada Lovelace's organization");
    type(root, 'Organization name', 'Analytical Engines');
    type(root, 'Name', 'Ada King');
    await fixture.whenStable();
    expect(field(root, 'Organization name')?.value).toBe('Analytical Engines');

    type(root, 'E-mail', 'ada@example.com');
    type(root, 'Password', 'correct horse battery');
    getByRole(root, 'button', 'Create account').click();
    const signup = backend.expectOne('/api/v1/auth/signup');
    expect(signup.request.body).toEqual({
      email: 'ada@example.com',
      password: 'correct horse battery',
      name: 'Ada King',
      organizationName: 'Analytical Engines',
    });
    signup.flush(
      { user: { id: 'u9', email: 'ada@example.com', name: 'Ada King' } },
      { status: 201, statusText: 'Created' },
    );
    finishSession(backend, [
      { organizationId: 'o9', organizationName: 'Analytical Engines', slug: 'ae', role: 'OWNER' },
    ]);
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('refuses an empty organization name', async () => {
    const { root, fixture, backend } = await render();
    type(root, 'Name', 'Ada');
    type(root, 'E-mail', 'ada@example.com');
    type(root, 'Password', 'correct horse battery');
    type(root, 'Organization name', '');
    getByRole(root, 'button', 'Create account').click();
    await fixture.whenStable();
    expect(root.textContent).toContain('Name your organization');
    backend.expectNone('/api/v1/auth/signup');
  });

  it('from an invitation: shows it, prefills the invited e-mail read-only, names no organization and sends the token', async () => {
    const { root, fixture, backend, navigate } = await render({ inviteToken: TOKEN });
    backend
      .expectOne((req) => req.url === '/api/v1/invites/preview' && req.params.get('token') === TOKEN)
      .flush(PREVIEW);
    await settle(fixture);
    expect(root.querySelector('dl[aria-label="Invitation"]')?.textContent).toContain('Acme Prompts');
    const email = field(root, 'E-mail')!;
    expect(email.value).toBe('ivy@example.com');
    expect(email.readOnly).toBe(true);
    expect(field(root, 'Organization name')).toBeNull();
    // Signing in instead comes back to the invitation.
    expect(getByRole(root, 'link', 'Sign in').getAttribute('href')).toBe(
      `/sign-in?returnUrl=${encodeURIComponent(`/invites/accept?token=${TOKEN}`)}`,
    );

    type(root, 'Name', 'Ivy');
    type(root, 'Password', 'correct horse battery');
    getByRole(root, 'button', 'Create account').click();
    const signup = backend.expectOne('/api/v1/auth/signup');
    expect(signup.request.body).toEqual({
      email: 'ivy@example.com',
      password: 'correct horse battery',
      name: 'Ivy',
      inviteToken: TOKEN,
    });
    signup.flush(
      { user: { id: 'u9', email: 'ivy@example.com', name: 'Ivy' } },
      { status: 201, statusText: 'Created' },
    );
    finishSession(backend, [
      { organizationId: 'o1', organizationName: 'Acme Prompts', slug: 'acme', role: 'VIEWER' },
    ]);
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('from an expired invitation: says so and shows no form', async () => {
    const { root, fixture, backend } = await render({ inviteToken: TOKEN });
    backend
      .expectOne((req) => req.url === '/api/v1/invites/preview')
      .flush(
        { title: 'Gone', status: 410, code: 'invite_expired' },
        { status: 410, statusText: 'Gone', headers: PROBLEM },
      );
    await settle(fixture);
    expect(getByRole(root, 'alert').textContent).toContain('This invitation has expired');
    expect(queryAllByRole(root, 'form')).toHaveLength(0);
    expect(getByRole(root, 'link', 'Create an account without the invitation').getAttribute('href')).toBe(
      '/sign-up',
    );
  });
});
