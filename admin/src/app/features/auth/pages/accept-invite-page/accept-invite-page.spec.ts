import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { Me } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { AcceptInvitePage } from './accept-invite-page';

const ME: Me = {
  id: 'u2',
  email: 'bob@example.com',
  name: 'Bob',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Own', slug: 'own', role: 'OWNER' }],
};
const TOKEN = 'invite-token-0123456789abcdef';

async function render(signedIn: boolean) {
  TestBed.configureTestingModule({
    imports: [AcceptInvitePage],
    providers: [
      memoryStorage(signedIn ? { [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.refreshToken]: 'r' } : {})
        .provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  const session = TestBed.inject(SessionStore);
  session.restore();
  if (signedIn) backend.expectOne('/api/v1/me').flush(ME);
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  const fixture = TestBed.createComponent(AcceptInvitePage);
  fixture.componentRef.setInput('token', TOKEN);
  await fixture.whenStable();
  return { fixture, backend, session, navigate, root: fixture.nativeElement as HTMLElement };
}

describe('AcceptInvitePage', () => {
  it('sends a signed-out visitor to sign in or sign up, with the way back', async () => {
    const { root } = await render(false);
    const back = `/invites/accept?token=${TOKEN}`;
    expect(getByRole(root, 'link', 'Sign in').getAttribute('href')).toBe(
      `/sign-in?returnUrl=${encodeURIComponent(back)}`,
    );
    expect(getByRole(root, 'link', 'Create account').getAttribute('href')).toBe(
      `/sign-up?returnUrl=${encodeURIComponent(back)}`,
    );
  });

  it('accepts for the signed-in user and switches to the joined organization', async () => {
    const { root, fixture, backend, session, navigate } = await render(true);
    expect(root.textContent).toContain('bob@example.com');
    getByRole(root, 'button', 'Accept invitation').click();
    const accept = backend.expectOne('/api/v1/invites/accept');
    expect(accept.request.body).toEqual({ token: TOKEN });
    accept.flush({ organizationId: 'o9', role: 'EDITOR' });
    backend.expectOne('/api/v1/me').flush({
      ...ME,
      memberships: [
        ...ME.memberships,
        { organizationId: 'o9', organizationName: 'Acme', slug: 'acme', role: 'EDITOR' },
      ],
    });
    await fixture.whenStable();
    expect(session.currentOrganization()?.organizationName).toBe('Acme');
    expect(navigate).toHaveBeenCalledWith('/', { replaceUrl: true });
  });

  it('explains an expired invitation (code invite_expired) on the page', async () => {
    const { root, fixture, backend } = await render(true);
    getByRole(root, 'button', 'Accept invitation').click();
    backend
      .expectOne('/api/v1/invites/accept')
      .flush(
        { title: 'Gone', status: 410, code: 'invite_expired', detail: 'Server wording' },
        { status: 410, statusText: 'Gone', headers: { 'Content-Type': 'application/problem+json' } },
      );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('This invitation has expired. Ask for a new one.');
  });
});
