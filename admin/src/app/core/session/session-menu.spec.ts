import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { memoryStorage, getByRole, queryAllByRole } from '../../../testing/test-helpers';
import { Me } from '../api/api-types';
import { authInterceptor } from '../http/auth.interceptor';
import { provideAppIcons } from '../icons/app-icons';
import { STORAGE_KEYS } from '../storage/browser-storage';
import { SessionMenu, SessionMenuPart } from './session-menu';
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

async function render(stored: Record<string, string>, part: SessionMenuPart = 'organizations') {
  const { storage, provider } = memoryStorage(stored);
  TestBed.configureTestingModule({
    imports: [SessionMenu],
    providers: [
      provider,
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      provideRouter([]),
    ],
  });
  const fixture = TestBed.createComponent(SessionMenu);
  fixture.componentRef.setInput('part', part);
  TestBed.inject(SessionStore).restore();
  await fixture.whenStable();
  return {
    fixture,
    storage,
    root: fixture.nativeElement as HTMLElement,
    backend: TestBed.inject(HttpTestingController),
  };
}

describe('SessionMenu: the organization switcher', () => {
  it('renders nothing and calls nothing when signed out', async () => {
    const { root, backend } = await render({});
    expect(queryAllByRole(root, 'button')).toHaveLength(0);
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
    expect(queryAllByRole(root, 'button')).toHaveLength(0);
    expect(TestBed.inject(SessionStore).status()).toBe('signed-out');
    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBeNull();
  });
});

/** The label of a menu item (its first text span; an organization's role follows in a second one). */
function label(item: Element | null): string {
  return (item?.querySelector('.mat-mdc-menu-item-text > span')?.textContent ?? '').trim();
}

/** The labels of the menu items now open, in order. */
function menuItems(): string[] {
  return Array.from(document.querySelectorAll<HTMLElement>('[role^="menuitem"]')).map(label);
}

describe('SessionMenu: the account menu and the phone menu', () => {
  it('account: a "Sign in" link when signed out', async () => {
    const { root } = await render({}, 'account');
    const link = getByRole(root, 'link', 'Sign in');
    expect(link.getAttribute('href')).toBe('/sign-in');
  });

  it('account: the user and the account items, no organizations and no theme', async () => {
    const { root, fixture, backend } = await render({ [STORAGE_KEYS.accessToken]: 'tok' }, 'account');
    backend.expectOne('/api/v1/me').flush(ME);
    await fixture.whenStable();
    getByRole(root, 'button', 'Account: Ada').click();
    await fixture.whenStable();
    expect(document.querySelector('.who')?.textContent).toContain('ada@example.com');
    expect(menuItems()).toEqual(['Account and privacy', 'Change password', 'Sign out']);
  });

  it('all: organizations, the theme and the account items in one menu, the same items as the wide menus', async () => {
    const { root, fixture, backend } = await render({ [STORAGE_KEYS.accessToken]: 'tok' }, 'all');
    backend.expectOne('/api/v1/me').flush(ME);
    await fixture.whenStable();
    getByRole(root, 'button', 'Account: Ada. Organization and theme').click();
    await fixture.whenStable();
    expect(menuItems()).toEqual([
      'Acme',
      'Globex',
      'Create organization',
      'Dark theme',
      'Account and privacy',
      'Change password',
      'Sign out',
    ]);
    expect(getByRole(document.body, 'menuitemcheckbox', 'Dark theme').getAttribute('aria-checked')).toBe('false');
  });

  it('all: the theme and "Sign in" when signed out', async () => {
    const { root, fixture } = await render({}, 'all');
    getByRole(root, 'button', 'Account and theme').click();
    await fixture.whenStable();
    expect(menuItems()).toEqual(['Dark theme', 'Sign in']);
  });

  it('all: the arrow keys move through every item (the menu knows its items)', async () => {
    const { root, fixture, backend } = await render({ [STORAGE_KEYS.accessToken]: 'tok' }, 'all');
    backend.expectOne('/api/v1/me').flush(ME);
    await fixture.whenStable();
    const trigger = getByRole(root, 'button', /^Account: Ada/);
    document.body.append(root);
    trigger.click();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    const panel = document.querySelector<HTMLElement>('.mat-mdc-menu-panel')!;
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      names.push(label(document.activeElement));
      panel.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', keyCode: 40, bubbles: true }));
      await fixture.whenStable();
    }
    expect(names).toEqual(menuItems());
    root.remove();
  });
});
