import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { AddProviderKeyDialog } from '../../components/add-provider-key-dialog/add-provider-key-dialog';
import { ProviderKey } from '../../data/provider-keys.api';
import { ProviderKeysPage } from './provider-keys-page';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const KEYS: ProviderKey[] = [
  {
    id: 'k1',
    provider: 'anthropic',
    name: 'Anthropic',
    last4: 'abcd',
    createdAt: '2026-01-01T00:00:00Z',
    lastUsedAt: null,
  },
  {
    id: 'k2',
    provider: 'openai-compatible',
    name: 'Local vLLM',
    last4: 'wxyz',
    baseUrl: 'http://vllm.internal:8000/v1',
    createdAt: '2026-01-02T00:00:00Z',
    lastUsedAt: '2026-01-02T10:00:00Z',
  },
];

async function render(role: MembershipRole, keys: ProviderKey[] | null) {
  const open = vi.fn(() => ({ afterClosed: () => of(true) }));
  TestBed.configureTestingModule({
    imports: [ProviderKeysPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialog, useValue: { open } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(ProviderKeysPage);
  TestBed.tick();
  if (keys) backend.expectOne('/api/v1/provider-keys').flush(keys);
  if (role === 'OWNER' || role === 'ADMIN') {
    // The model prices section below the keys (its own spec covers it).
    backend.expectOne('/api/v1/models').flush([]);
    backend.expectOne('/api/v1/organizations/o1/model-prices').flush([]);
  }
  await fixture.whenStable();
  return { fixture, backend, open, root: fixture.nativeElement as HTMLElement };
}

describe('ProviderKeysPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('tells a VIEWER the page is not for their role and loads nothing', async () => {
    const { root, backend } = await render('VIEWER', null);
    backend.expectNone('/api/v1/provider-keys');
    expect(getByRole(root, 'heading', 'Not available for your role')).toBeTruthy();
    expect(queryAllByRole(root, 'table')).toHaveLength(0);
    expect(queryAllByRole(root, 'button', /Add provider key/)).toHaveLength(0);
  });

  it('shows an EDITOR the list read-only: provider, name, last four, base URL, last use; no actions', async () => {
    const { root } = await render('EDITOR', KEYS);
    const rows = queryAllByRole(getByRole(root, 'table', 'Provider keys'), 'row');
    expect(rows).toHaveLength(3);
    expect(rows[1].textContent).toContain('Anthropic');
    expect(rows[1].textContent).toContain('…abcd');
    expect(rows[1].textContent).toContain('Provider default');
    expect(rows[1].textContent).toContain('Never');
    expect(rows[2].textContent).toContain('OpenAI-compatible');
    expect(rows[2].textContent).toContain('http://vllm.internal:8000/v1');
    expect(queryAllByRole(root, 'button', /^(Test|Delete) /)).toHaveLength(0);
    expect(queryAllByRole(root, 'button', /Add provider key/)).toHaveLength(0);
    expect(getByRole(root, 'note').textContent).toContain('Only an OWNER or ADMIN');
    expect(queryAllByRole(root, 'heading', 'Model prices')).toHaveLength(0);
  });

  it('shows the empty state to an ADMIN and opens the add dialog', async () => {
    const { root, open } = await render('ADMIN', []);
    expect(getByRole(root, 'heading', 'No provider keys yet')).toBeTruthy();
    expect(getByRole(root, 'heading', 'Model prices')).toBeTruthy();
    getByRole(root, 'button', /Add provider key/).click();
    expect(open).toHaveBeenCalledTimes(1);
    expect((open.mock.calls[0] as unknown[])[0]).toBe(AddProviderKeyDialog);
  });

  it('tests a key and shows the outcome in its row', async () => {
    const { root, fixture, backend } = await render('OWNER', KEYS);
    getByRole(root, 'button', 'Test Anthropic').click();
    fixture.detectChanges();
    expect(getByRole(root, 'table', 'Provider keys').textContent).toContain('Testing…');
    backend
      .expectOne('/api/v1/provider-keys/k1/test')
      .flush({ ok: false, detail: 'The provider refused the key (401)' });
    // The answer settles through a few promise steps (store, then page) before the row renders.
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    const row = queryAllByRole(root, 'row')[1];
    expect(row.textContent).toContain('The provider refused the key (401)');
    expect(row.textContent).not.toContain('Never');
  });

  it('deletes a key after confirmation', async () => {
    const { root, fixture, backend, open } = await render('ADMIN', [KEYS[0]]);
    getByRole(root, 'button', 'Delete Anthropic').click();
    expect(open).toHaveBeenCalledTimes(1);
    const remove = backend.expectOne('/api/v1/provider-keys/k1');
    expect(remove.request.method).toBe('DELETE');
    remove.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(getByRole(root, 'heading', 'No provider keys yet')).toBeTruthy();
  });

  it('reports a failed deletion inline', async () => {
    const { root, fixture, backend } = await render('ADMIN', [KEYS[0]]);
    getByRole(root, 'button', 'Delete Anthropic').click();
    backend.expectOne('/api/v1/provider-keys/k1').flush(
      {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        code: 'not_found',
        detail: 'Provider key was not found',
      },
      { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('Could not delete "Anthropic"');
  });
});
