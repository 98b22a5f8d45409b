import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { ApiKey, Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ApiKeysPage } from './api-keys-page';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const KEYS: ApiKey[] = [
  {
    id: 'k1',
    name: 'CI',
    prefix: 'pv_abc123',
    userId: 'u1',
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: null,
    lastUsedAt: null,
  },
  {
    id: 'k2',
    name: 'Bob script',
    prefix: 'pv_def456',
    userId: 'u2',
    createdAt: '2026-01-02T00:00:00Z',
    expiresAt: '2026-01-03T00:00:00Z',
    lastUsedAt: '2026-01-02T10:00:00Z',
  },
];

async function render(role: MembershipRole, keys: ApiKey[]) {
  const confirm = vi.fn(() => ({ afterClosed: () => of(true) }));
  TestBed.configureTestingModule({
    imports: [ApiKeysPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialog, useValue: { open: confirm } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(ApiKeysPage);
  TestBed.tick();
  backend.expectOne('/api/v1/organizations/o1/api-keys').flush(keys);
  if (role === 'OWNER' || role === 'ADMIN') {
    backend.expectOne('/api/v1/organizations/o1/members').flush([
      { userId: 'u1', email: 'ada@example.com', name: 'Ada', role, joinedAt: '2026-01-01T00:00:00Z' },
      {
        userId: 'u2',
        email: 'bob@example.com',
        name: 'Bob',
        role: 'EDITOR',
        joinedAt: '2026-01-01T00:00:00Z',
      },
    ]);
  }
  await fixture.whenStable();
  return { fixture, backend, confirm, root: fixture.nativeElement as HTMLElement };
}

describe('ApiKeysPage', () => {
  it('shows the empty state when there are no keys', async () => {
    const { root } = await render('VIEWER', []);
    expect(getByRole(root, 'heading', 'No API keys yet')).toBeTruthy();
    expect(queryAllByRole(root, 'table')).toHaveLength(0);
  });

  it('lists prefix, last use and expiry; an ADMIN sees whose key it is', async () => {
    const { root } = await render('ADMIN', KEYS);
    const rows = queryAllByRole(getByRole(root, 'table', 'API keys'), 'row');
    expect(rows).toHaveLength(3);
    expect(rows[1].textContent).toContain('pv_abc123…');
    expect(rows[1].textContent).toContain('You');
    expect(rows[1].textContent).toContain('Never');
    expect(rows[2].textContent).toContain('Bob');
    expect(rows[2].textContent).toContain('(expired)');
  });

  it('a VIEWER sees no owner column and loads no member list', async () => {
    const { root, backend } = await render('VIEWER', [KEYS[0]]);
    const headers = queryAllByRole(root, 'columnheader').map((h) => h.textContent?.trim());
    expect(headers).not.toContain('Owner');
    backend.expectNone('/api/v1/organizations/o1/members');
  });

  it('revokes a key after confirmation and drops it from the list', async () => {
    const { root, fixture, backend, confirm } = await render('EDITOR', [KEYS[0]]);
    getByRole(root, 'button', 'Revoke CI').click();
    expect(confirm).toHaveBeenCalledTimes(1);
    const revoke = backend.expectOne('/api/v1/organizations/o1/api-keys/k1');
    expect(revoke.request.method).toBe('DELETE');
    revoke.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(getByRole(root, 'heading', 'No API keys yet')).toBeTruthy();
  });
});
