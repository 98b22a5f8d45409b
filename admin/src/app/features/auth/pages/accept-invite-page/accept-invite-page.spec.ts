import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { InvitePreview, Me } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ROLE_DESCRIPTIONS } from '../../../../shared/ui/role-description/role-descriptions';
import { AcceptInvitePage } from './accept-invite-page';

const ME: Me = {
  id: 'u2',
  email: 'bob@example.com',
  name: 'Bob',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Own', slug: 'own', role: 'OWNER' }],
};
const TOKEN = 'invite-token-0123456789abcdef';
const PREVIEW: InvitePreview = {
  organizationName: 'Acme Prompts',
  role: 'EDITOR',
  invitedBy: { name: 'Olivia Owner' },
  email: 'bob@example.com',
  expiresAt: '2026-12-12T10:00:00Z',
};
/** Lets the page's awaited answer land (a resolved promise, then a render). */
async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}

const PROBLEM = { 'Content-Type': 'application/problem+json' };
const previewUrl = (req: { url: string; params: { get(k: string): string | null } }) =>
  req.url === '/api/v1/invites/preview' && req.params.get('token') === TOKEN;

async function render(
  signedIn: boolean,
  preview: InvitePreview | { status: number; code: string } = PREVIEW,
) {
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
  TestBed.tick();
  const req = backend.expectOne(previewUrl);
  if ('status' in preview)
    req.flush(
      { title: 'Gone', ...preview },
      { status: preview.status, statusText: 'Gone', headers: PROBLEM },
    );
  else req.flush(preview);
  await settle(fixture);
  return { fixture, backend, session, navigate, root: fixture.nativeElement as HTMLElement };
}

describe('AcceptInvitePage', () => {
  it('says what the invitation is: organization, role with its description, inviter and expiry', async () => {
    const { root } = await render(false);
    expect(getByRole(root, 'heading', 'Join Acme Prompts')).toBeTruthy();
    const summary = root.querySelector('dl[aria-label="Invitation"]')!;
    expect(summary.textContent).toContain('Acme Prompts');
    expect(summary.querySelector('.role')?.textContent).toBe('EDITOR');
    expect(summary.textContent).toContain(ROLE_DESCRIPTIONS.EDITOR);
    expect(summary.textContent).toContain('Olivia Owner');
    expect(summary.textContent).toContain('bob@example.com');
    expect(summary.querySelector('time')?.getAttribute('datetime')).toBe(PREVIEW.expiresAt);
  });

  it('offers a signed-out visitor a sign-up for the invitation, or sign-in with the way back', async () => {
    const { root } = await render(false);
    const back = `/invites/accept?token=${TOKEN}`;
    expect(getByRole(root, 'link', 'Sign in').getAttribute('href')).toBe(
      `/sign-in?returnUrl=${encodeURIComponent(back)}`,
    );
    expect(getByRole(root, 'link', 'Sign up').getAttribute('href')).toBe(`/sign-up?inviteToken=${TOKEN}`);
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

  it('tells a user signed in with another address to switch accounts instead of offering a refused accept', async () => {
    const { root } = await render(true, { ...PREVIEW, email: 'carol@example.com' });
    expect(getByRole(root, 'status').textContent).toContain('the invitation is for carol@example.com');
    expect(getByRole(root, 'button', 'Accept invitation').hasAttribute('disabled')).toBe(true);
    expect(getByRole(root, 'button', 'Use another account')).toBeTruthy();
  });

  it('shows a page of its own for an expired, revoked or unknown invitation', async () => {
    const expired = await render(false, { status: 410, code: 'invite_expired' });
    expect(getByRole(expired.root, 'heading', 'Invitation expired')).toBeTruthy();
    expect(getByRole(expired.root, 'alert').textContent).toContain(
      'This invitation has expired. Ask for a new one.',
    );
    expect(expired.root.querySelector('a[href="/sign-up?inviteToken=' + TOKEN + '"]')).toBeNull();
    TestBed.resetTestingModule();
    const revoked = await render(false, { status: 410, code: 'invite_revoked' });
    expect(getByRole(revoked.root, 'heading', 'Invitation revoked')).toBeTruthy();
    TestBed.resetTestingModule();
    const unknown = await render(false, { status: 404, code: 'not_found' });
    expect(getByRole(unknown.root, 'alert').textContent).toContain('This invitation does not exist');
  });

  it('explains an invitation that expired before it was accepted (code invite_expired)', async () => {
    const { root, fixture, backend } = await render(true);
    getByRole(root, 'button', 'Accept invitation').click();
    backend
      .expectOne('/api/v1/invites/accept')
      .flush(
        { title: 'Gone', status: 410, code: 'invite_expired', detail: 'Server wording' },
        { status: 410, statusText: 'Gone', headers: PROBLEM },
      );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('This invitation has expired. Ask for a new one.');
  });
});
