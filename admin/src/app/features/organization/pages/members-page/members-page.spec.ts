import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, Member } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { MembersPage } from './members-page';

const ME: Me = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'OWNER' }],
};
const MEMBERS: Member[] = [
  { userId: 'u1', email: 'ada@example.com', name: 'Ada', role: 'OWNER', joinedAt: '2026-01-01T00:00:00Z' },
  { userId: 'u2', email: 'bob@example.com', name: 'Bob', role: 'EDITOR', joinedAt: '2026-02-01T00:00:00Z' },
];

async function render() {
  const notify = vi.fn();
  TestBed.configureTestingModule({
    imports: [MembersPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(ME);
  const fixture = TestBed.createComponent(MembersPage);
  // Not whenStable(): the page's resources count as pending work until these requests answer.
  TestBed.tick();
  backend.expectOne('/api/v1/organizations/o1/members').flush(MEMBERS);
  backend.expectOne('/api/v1/organizations/o1/invites').flush([]);
  await fixture.whenStable();
  return { fixture, backend, notify, root: fixture.nativeElement as HTMLElement };
}

describe('MembersPage', () => {
  it('lists members with their roles and the empty invitations state', async () => {
    const { root } = await render();
    const rows = queryAllByRole(getByRole(root, 'table', 'Members'), 'row');
    expect(rows).toHaveLength(3);
    expect(rows[1].textContent).toContain('Ada');
    expect(rows[1].textContent).toContain('(you)');
    expect(getByRole(root, 'combobox', 'Role of Bob').textContent).toContain('EDITOR');
    expect(root.textContent).toContain('No pending invitations');
    expect(getByRole(root, 'button', 'Remove Bob')).toBeTruthy();
  });

  it('explains a refused role change (code last_owner) inline and reloads the real roles', async () => {
    const { root, fixture, backend, notify } = await render();
    (fixture.componentInstance as unknown as { changeRole: (m: Member, r: string) => void }).changeRole(
      MEMBERS[0],
      'EDITOR',
    );
    const patch = backend.expectOne('/api/v1/organizations/o1/members/u1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ role: 'EDITOR' });
    // The console decides on the code: the server's wording (detail) is not what it shows.
    patch.flush(
      { title: 'Conflict', status: 409, code: 'last_owner', detail: 'Server wording that may change' },
      { status: 409, statusText: 'Conflict', headers: { 'Content-Type': 'application/problem+json' } },
    );
    TestBed.tick();
    backend.expectOne('/api/v1/organizations/o1/members').flush(MEMBERS);
    await fixture.whenStable();

    const alert = getByRole(root, 'alert');
    expect(alert.textContent).toContain(
      'Could not change the role of Ada: An organization needs at least one OWNER. Make someone else OWNER first.',
    );
    expect(notify).not.toHaveBeenCalled();
    getByRole(root, 'button', 'Dismiss error').click();
    await fixture.whenStable();
    expect(queryAllByRole(root, 'alert')).toHaveLength(0);
  });
});
