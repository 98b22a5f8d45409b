import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { memoryStorage, getByRole, queryAllByRole } from '../../../testing/test-helpers';
import { Me } from '../api/api-types';
import { authInterceptor } from '../http/auth.interceptor';
import { provideAppIcons } from '../icons/app-icons';
import { STORAGE_KEYS } from '../storage/browser-storage';
import { OrganizationSwitcher } from './organization-switcher';
import { SessionStore } from './session.store';

const ME: Me = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [
    { organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'OWNER' },
    { organizationId: 'o2', organizationName: 'Globex', slug: 'globex', role: 'VIEWER' },
  ],
};

async function render(stored: Record<string, string>) {
  const { storage, provider } = memoryStorage(stored);
  TestBed.configureTestingModule({
    imports: [OrganizationSwitcher],
    providers: [
      provider,
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
    ],
  });
  const fixture = TestBed.createComponent(OrganizationSwitcher);
  TestBed.inject(SessionStore).restore();
  await fixture.whenStable();
  return {
    fixture,
    storage,
    root: fixture.nativeElement as HTMLElement,
    backend: TestBed.inject(HttpTestingController),
  };
}

describe('OrganizationSwitcher', () => {
  it('renders nothing and calls nothing when signed out', async () => {
    const { root, backend } = await render({});
    expect(root.children.length).toBe(0);
    backend.expectNone('/api/v1/me');
  });

  it('loads /me with the token and shows the stored organization', async () => {
    const { root, fixture, backend } = await render({
      [STORAGE_KEYS.accessToken]: 'tok',
      [STORAGE_KEYS.organizationId]: 'o2',
    });
    const req = backend.expectOne('/api/v1/me');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    req.flush(ME);
    await fixture.whenStable();

    expect(getByRole(root, 'button', /^Organization: Globex/)).toBeTruthy();
  });

  it('falls back to the first organization and lets the user switch', async () => {
    const { root, fixture, backend, storage } = await render({ [STORAGE_KEYS.accessToken]: 'tok' });
    backend.expectOne('/api/v1/me').flush(ME);
    await fixture.whenStable();
    expect(storage.getItem(STORAGE_KEYS.organizationId)).toBe('o1');

    getByRole(root, 'button', /^Organization: Acme/).click();
    await fixture.whenStable();
    const items = queryAllByRole(document.body, 'menuitemradio');
    expect(items.map((i) => i.getAttribute('aria-checked'))).toEqual(['true', 'false']);
    items[1].click();
    await fixture.whenStable();

    expect(storage.getItem(STORAGE_KEYS.organizationId)).toBe('o2');
    expect(getByRole(root, 'button', /^Organization: Globex/)).toBeTruthy();
  });

  it('signs out when the stored token is rejected', async () => {
    const { root, fixture, backend, storage } = await render({ [STORAGE_KEYS.accessToken]: 'expired' });
    const unauthorized = {
      status: 401,
      statusText: 'Unauthorized',
      headers: { 'Content-Type': 'application/problem+json' },
    };
    backend.expectOne('/api/v1/me').flush({ title: 'Unauthorized', status: 401 }, unauthorized);
    // The session cookie cannot renew it either.
    backend.expectOne('/api/v1/auth/refresh').flush({ title: 'Unauthorized', status: 401 }, unauthorized);
    await fixture.whenStable();
    expect(root.children.length).toBe(0);
    expect(TestBed.inject(SessionStore).status()).toBe('signed-out');
    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBeNull();
  });
});
