import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { vi } from 'vitest';
import { InvitePreview } from '../../../core/api/api-types';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { problemCode } from '../../../core/http/error-catalogue';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { InvitePreviewStore } from './invite-preview.store';

const preview = (email: string): InvitePreview => ({
  organizationName: 'Acme Prompts',
  role: 'EDITOR',
  invitedBy: { name: 'Olivia Owner' },
  email,
  expiresAt: '2026-12-12T10:00:00Z',
});
const PROBLEM = { 'Content-Type': 'application/problem+json' };
const forToken = (token: string) => (req: { url: string; params: { get(k: string): string | null } }) =>
  req.url === '/api/v1/invites/preview' && req.params.get('token') === token;

function setUp() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      InvitePreviewStore,
    ],
  });
  return { store: TestBed.inject(InvitePreviewStore), backend: TestBed.inject(HttpTestingController) };
}

describe('InvitePreviewStore', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    TestBed.resetTestingModule();
  });

  it('reads the invitation of a token and answers it', async () => {
    const { store, backend } = setUp();
    expect(store.preview()).toEqual({ state: 'idle' });
    const loading = store.load('t1');
    expect(store.preview()).toEqual({ state: 'loading' });
    backend.expectOne(forToken('t1')).flush(preview('bob@example.com'));
    expect(await loading).toEqual(preview('bob@example.com'));
    expect(store.invite()?.email).toBe('bob@example.com');
    expect(store.error()).toBeNull();
  });

  it('keeps the refusal for the page to explain', async () => {
    const { store, backend } = setUp();
    const loading = store.load('t1');
    backend
      .expectOne(forToken('t1'))
      .flush(
        { title: 'Gone', status: 410, code: 'invite_expired' },
        { status: 410, statusText: 'Gone', headers: PROBLEM },
      );
    expect(await loading).toBeNull();
    expect(store.preview().state).toBe('failed');
    expect(problemCode(store.error())).toBe('invite_expired');
    expect(store.invite()).toBeNull();
  });

  it('lets a later token win over an earlier answer that arrives last', async () => {
    const { store, backend } = setUp();
    const first = store.load('t1');
    const second = store.load('t2');
    const firstReq = backend.expectOne(forToken('t1'));
    backend.expectOne(forToken('t2')).flush(preview('second@example.com'));
    await second;
    firstReq.flush(preview('first@example.com'));
    expect(await first).toBeNull();
    expect(store.invite()?.email).toBe('second@example.com');
  });
});
