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
  it('refreshes an expired access token once and retries the request with the new one', async () => {
    const { http, backend, storage } = setup({
      [STORAGE_KEYS.accessToken]: 'old-access',
      [STORAGE_KEYS.refreshToken]: 'refresh-1',
    });
    const result = get(http, '/api/v1/me');

    backend.expectOne('/api/v1/me').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    refresh.flush({ accessToken: 'new-access', refreshToken: 'refresh-2', expiresIn: 900 });

    const retried = backend.expectOne('/api/v1/me');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer new-access');
    retried.flush({ id: 'u1' });

    expect(await result).toEqual({ id: 'u1' });
    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBe('new-access');
    expect(storage.getItem(STORAGE_KEYS.refreshToken)).toBe('refresh-2');
    backend.verify();
  });

  it('shares one refresh between requests that fail at the same time (the token is single-use)', async () => {
    const { http, backend } = setup({
      [STORAGE_KEYS.accessToken]: 'old-access',
      [STORAGE_KEYS.refreshToken]: 'refresh-1',
    });
    const first = get(http, '/api/v1/a');
    const second = get(http, '/api/v1/b');
    backend.expectOne('/api/v1/a').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    backend.expectOne('/api/v1/b').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);

    backend
      .expectOne('/api/v1/auth/refresh')
      .flush({ accessToken: 'new-access', refreshToken: 'refresh-2', expiresIn: 900 });
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
      [STORAGE_KEYS.refreshToken]: 'reused',
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
    expect(storage.getItem(STORAGE_KEYS.accessToken)).toBeNull();
    expect(storage.getItem(STORAGE_KEYS.refreshToken)).toBeNull();
    backend.verify();
  });

  it('does not try to refresh for the sign-in call itself', async () => {
    const { http, backend } = setup({
      [STORAGE_KEYS.accessToken]: 'old-access',
      [STORAGE_KEYS.refreshToken]: 'refresh-1',
    });
    const result = new Promise((resolve) =>
      http.post('/api/v1/auth/login', {}).subscribe({ next: resolve, error: resolve }),
    );
    backend.expectOne('/api/v1/auth/login').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    expect(await result).toBeInstanceOf(HttpErrorResponse);
    backend.expectNone('/api/v1/auth/refresh');
  });

  it('uses a token another tab already refreshed instead of spending the refresh token again', async () => {
    const { http, backend, storage } = setup({
      [STORAGE_KEYS.accessToken]: 'old-access',
      [STORAGE_KEYS.refreshToken]: 'refresh-1',
    });
    const result = get(http, '/api/v1/me');
    storage.setItem(STORAGE_KEYS.accessToken, 'from-other-tab');
    backend.expectOne('/api/v1/me').flush({ title: 'Unauthorized', status: 401 }, UNAUTHORIZED);
    backend.expectNone('/api/v1/auth/refresh');
    const retried = backend.expectOne('/api/v1/me');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer from-other-tab');
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
