import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { memoryStorage } from '../../../testing/test-helpers';
import { STORAGE_KEYS } from '../storage/browser-storage';
import { authInterceptor } from './auth.interceptor';

function setup(stored: Record<string, string>) {
  const { provider } = memoryStorage(stored);
  TestBed.configureTestingModule({
    providers: [provider, provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
  });
  return { http: TestBed.inject(HttpClient), backend: TestBed.inject(HttpTestingController) };
}

describe('authInterceptor', () => {
  it('sends the bearer token and the stored organization to the API', () => {
    const { http, backend } = setup({
      [STORAGE_KEYS.accessToken]: 'token-1',
      [STORAGE_KEYS.organizationId]: 'org-1',
    });
    http.get('/api/v1/prompts').subscribe();
    const req = backend.expectOne('/api/v1/prompts');
    expect(req.request.headers.get('Authorization')).toBe('Bearer token-1');
    expect(req.request.headers.get('X-Organization-Id')).toBe('org-1');
    req.flush([]);
    backend.verify();
  });

  it('adds nothing when signed out', () => {
    const { http, backend } = setup({ [STORAGE_KEYS.organizationId]: 'org-1' });
    http.get('/api/v1/health').subscribe();
    const req = backend.expectOne('/api/v1/health');
    expect(req.request.headers.has('Authorization')).toBe(false);
    expect(req.request.headers.has('X-Organization-Id')).toBe(false);
    req.flush({});
  });

  it('never sends the token to another origin', () => {
    const { http, backend } = setup({ [STORAGE_KEYS.accessToken]: 'token-1' });
    http.get('https://example.com/api/v1/prompts').subscribe();
    const req = backend.expectOne('https://example.com/api/v1/prompts');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({});
  });
});
