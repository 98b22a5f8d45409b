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
import { AccountPage } from './account-page';

const PROBLEM = { 'Content-Type': 'application/problem+json' };
const ME: Me = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'OWNER' }],
};
const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};
const overlay = () => document.querySelector('.cdk-overlay-container') as HTMLElement;

async function render() {
  TestBed.configureTestingModule({
    imports: [AccountPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(ME);
  const fixture = TestBed.createComponent(AccountPage);
  await fixture.whenStable();
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

describe('AccountPage', () => {
  afterEach(() => overlay()?.replaceChildren());

  it('downloads my data under the name the server gives', async () => {
    const { root, fixture, backend } = await render();
    const createObjectURL = vi.fn(() => 'blob:x');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    getByRole(root, 'button', 'Download my data').click();
    backend.expectOne('/api/v1/me/export').flush(new Blob(['{}'], { type: 'application/json' }), {
      headers: { 'Content-Disposition': 'attachment; filename="prompt-vault-personal-data-2026-12-05.json"' },
    });
    await settle(fixture);
    expect(createObjectURL).toHaveBeenCalled();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe(
      'prompt-vault-personal-data-2026-12-05.json',
    );
    click.mockRestore();
  });

  it('names the organizations of a 409 last_owner and keeps the session', async () => {
    const { root, fixture, backend } = await render();
    getByRole(root, 'button', 'Delete my account…').click();
    await settle(fixture);
    const dialog = overlay();
    const password = dialog.querySelector('input[type="password"]') as HTMLInputElement;
    password.value = 'correct horse battery';
    password.dispatchEvent(new Event('input'));
    getByRole(dialog, 'button', 'Delete my account').click();
    const erase = backend.expectOne({ method: 'DELETE', url: '/api/v1/me' });
    expect(erase.request.body).toEqual({ password: 'correct horse battery' });
    erase.flush(
      {
        title: 'Conflict',
        status: 409,
        code: 'last_owner',
        organizations: [{ id: 'o9', name: 'Team Nine' }],
      },
      { status: 409, statusText: 'Conflict', headers: PROBLEM },
    );
    await settle(fixture);
    expect(dialog.textContent).toContain('Team Nine');
    expect(TestBed.inject(SessionStore).signedIn()).toBe(true);
  });

  it('erases the account, signs out and goes to the sign-in page', async () => {
    const { root, fixture, backend } = await render();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    getByRole(root, 'button', 'Delete my account…').click();
    await settle(fixture);
    getByRole(overlay(), 'button', 'Delete my account').click();
    const erase = backend.expectOne({ method: 'DELETE', url: '/api/v1/me' });
    expect(erase.request.body).toEqual({});
    erase.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    backend.match('/api/v1/auth/logout');
    // The dialog answers once its closing animation has finished.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await settle(fixture);
    expect(TestBed.inject(SessionStore).signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith('/sign-in');
  });
});
