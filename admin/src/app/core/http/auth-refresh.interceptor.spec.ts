import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { memoryStorage } from '../../../testing/test-helpers';
import { SessionStore } from '../session/session.store';
import { STORAGE_KEYS } from '../storage/browser-storage';
import { authInterceptor } from './auth.interceptor';

const UNAUTHORIZED = {
  status: 401,
  statusText: 'Unauthorized',
  headers: { 'Content-Type': 'application/problem+json' },
};

function setup(stored: Record<string, string>) {
  const { storage, provider } = memoryStorage(stored);
  TestBed.configureTestingModule({
    providers: [provider, provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
  });
  return {
    storage,
    http: TestBed.inject(HttpClient),
    backend: TestBed.inject(HttpTestingController),
    session: TestBed.inject(SessionStore),
  };
}

function get(http: HttpClient, url: string): Promise<unknown> {
  return new Promise((resolve) => http.get(url).subscribe({ next: resolve, error: resolve }));
}

describe('authInterceptor token refresh', () => {
  it('refreshes an expired access token once through the cookie and retries the request with the new one', async () => {
    const { http, backend, storage, session } = setup({ [STORAGE_KEYS.session]: 'cookie' });
    session.restore();
    const resume = backend.expectOne('/api/v1/auth/refresh');
    resume.flush({ accessToken: 'old-access', expiresIn: 900 });
    backend.expectOne('/api/v1/me').flush({ id: 'u1', memberships: [] });
    const result = get(http, '/api/v1/prompts');

    backend.expectOne('/api/v1/prompts').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    const refresh = backend.expectOne('/api/v1/auth/refresh');
    // The refresh token is the HttpOnly cookie: nothing in the body, the cookie-mode header set.
    expect(refresh.request.body).toEqual({});
    expect(refresh.request.headers.get('X-Session-Mode')).toBe('cookie');
    refresh.flush({ accessToken: 'new-access', expiresIn: 900 });

    const retried = backend.expectOne('/api/v1/prompts');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer new-access');
    retried.flush({ items: [] });

    expect(await result).toEqual({ items: [] });
    expect(session.accessToken()).toBe('new-access');
    // No token of any kind reaches storage.
    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBeNull();
    expect(storage.getItem(STORAGE_KEYS.refreshToken)).toBeNull();
    backend.verify();
  });

  it('resumes the session of a reload through the cookie', () => {
    const { backend, session } = setup({ [STORAGE_KEYS.session]: 'cookie' });
    expect(session.status()).toBe('loading');
    session.restore();
    backend.expectOne('/api/v1/auth/refresh').flush({ accessToken: 'resumed', expiresIn: 900 });
    const me = backend.expectOne('/api/v1/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer resumed');
    me.flush({ id: 'u1', memberships: [] });
    expect(session.status()).toBe('ready');
  });

  it('makes no refresh call for a visitor who never signed in', () => {
    const { backend, session } = setup({});
    session.restore();
    expect(session.status()).toBe('signed-out');
    backend.verify();
  });

  it('moves a session an older console left in storage into the cookie, and deletes it there', () => {
    const { backend, session, storage } = setup({
      [STORAGE_KEYS.accessToken]: 'legacy-access',
      [STORAGE_KEYS.refreshToken]: 'legacy-refresh',
    });
    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBeNull();
    expect(storage.getItem(STORAGE_KEYS.refreshToken)).toBeNull();
    session.restore();
    backend.expectOne('/api/v1/me').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'legacy-refresh' });
    expect(refresh.request.headers.get('X-Session-Mode')).toBe('cookie');
    refresh.flush({ accessToken: 'fresh', expiresIn: 900 });
    backend.expectOne('/api/v1/me').flush({ id: 'u1', memberships: [] });
    expect(session.accessToken()).toBe('fresh');
    expect(storage.getItem(STORAGE_KEYS.session)).toBe('cookie');
  });

  it('shares one refresh between requests that fail at the same time (the token is single-use)', async () => {
    const { http, backend } = setup({ [STORAGE_KEYS.accessToken]: 'old-access' });
    const first = get(http, '/api/v1/a');
    const second = get(http, '/api/v1/b');
    backend.expectOne('/api/v1/a').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    backend.expectOne('/api/v1/b').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);

    backend.expectOne('/api/v1/auth/refresh').flush({ accessToken: 'new-access', expiresIn: 900 });
    for (const url of ['/api/v1/a', '/api/v1/b']) {
      const retried = backend.expectOne(url);
      expect(retried.request.headers.get('Authorization')).toBe('Bearer new-access');
      retried.flush({ url });
    }
    expect(await first).toEqual({ url: '/api/v1/a' });
    expect(await second).toEqual({ url: '/api/v1/b' });
    backend.verify();
  });

  it('signs out and passes the original 401 on when the refresh token is refused', async () => {
    const { http, backend, storage, session } = setup({
      [STORAGE_KEYS.accessToken]: 'old-access',
      [STORAGE_KEYS.session]: 'cookie',
      [STORAGE_KEYS.organizationId]: 'o1',
    });
    const result = get(http, '/api/v1/organizations/o1/members');
    backend
      .expectOne('/api/v1/organizations/o1/members')
      .flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    backend.expectOne('/api/v1/auth/refresh').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);

    const error = await result;
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect((error as HttpErrorResponse).url).toContain('/members');
    expect(session.signedIn()).toBe(false);
    expect(storage.getItem(STORAGE_KEYS.session)).toBeNull();
    expect(storage.getItem(STORAGE_KEYS.organizationId)).toBeNull();
    backend.verify();
  });

  it('does not try to refresh for the sign-in call itself', async () => {
    const { http, backend } = setup({ [STORAGE_KEYS.accessToken]: 'old-access' });
    const result = new Promise((resolve) =>
      http.post('/api/v1/auth/login', {}).subscribe({ next: resolve, error: resolve }),
    );
    backend.expectOne('/api/v1/auth/login').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    expect(await result).toBeInstanceOf(HttpErrorResponse);
    backend.expectNone('/api/v1/auth/refresh');
  });

  it('uses a token refreshed meanwhile instead of spending the refresh cookie again', async () => {
    const { http, backend, session } = setup({ [STORAGE_KEYS.accessToken]: 'old-access' });
    const result = get(http, '/api/v1/me');
    session.accessToken.set('refreshed-meanwhile');
    backend.expectOne('/api/v1/me').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    backend.expectNone('/api/v1/auth/refresh');
    const retried = backend.expectOne('/api/v1/me');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer refreshed-meanwhile');
    retried.flush({ id: 'u1' });
    expect(await result).toEqual({ id: 'u1' });
  });

  it('re-reads the profile after a 403, so a role narrowed elsewhere narrows the menu', async () => {
    const { http, backend, session } = setup({ [STORAGE_KEYS.accessToken]: 'tok' });
    const me = (role: 'ADMIN' | 'VIEWER') => ({
      id: 'u1',
      email: 'a@example.com',
      name: 'A',
      emailVerified: true,
      memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
    });
    session.restore();
    backend.expectOne('/api/v1/me').flush(me('ADMIN'));
    expect(session.can('update', 'Member')).toBe(true);

    const result = get(http, '/api/v1/organizations/o1/members/u2');
    backend
      .expectOne('/api/v1/organizations/o1/members/u2')
      .flush({ title: 'Forbidden', status: 403 }, { ...UNAUTHORIZED, status: 403, statusText: 'Forbidden' });
    expect(await result).toBeInstanceOf(HttpErrorResponse);
    backend.expectOne('/api/v1/me').flush(me('VIEWER'));
    expect(session.can('update', 'Member')).toBe(false);
    backend.verify();
  });
});
