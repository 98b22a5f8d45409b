import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { memoryStorage } from '../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../core/api/api-types';
import { authInterceptor } from '../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { SessionStore } from '../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../core/storage/browser-storage';
import { ProviderKey } from './provider-keys.api';
import { ProviderKeysStore } from './provider-keys.store';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const KEY: ProviderKey = {
  id: 'k1',
  provider: 'openai',
  name: 'OpenAI production',
  last4: 'wxyz',
  createdAt: '2026-01-01T00:00:00Z',
  lastUsedAt: null,
};

function setUp(role: MembershipRole) {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      ProviderKeysStore,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const store = TestBed.inject(ProviderKeysStore);
  TestBed.tick();
  return { store, backend };
}

describe('ProviderKeysStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('loads the list for an EDITOR with the organization header, without management rights', async () => {
    const { store, backend } = setUp('EDITOR');
    const list = backend.expectOne('/api/v1/provider-keys');
    expect(list.request.headers.get('X-Organization-Id')).toBe('o1');
    list.flush([KEY]);
    await TestBed.inject(ApplicationRef).whenStable();
    expect(store.canRead()).toBe(true);
    expect(store.canManage()).toBe(false);
    expect(store.keys.value()).toEqual([KEY]);
  });

  it('does not load anything for a VIEWER', () => {
    const { store, backend } = setUp('VIEWER');
    backend.expectNone('/api/v1/provider-keys');
    expect(store.canRead()).toBe(false);
  });

  it('adds a key into the sorted list, tests it (keeping the result, marking it used) and deletes it', async () => {
    const { store, backend } = setUp('ADMIN');
    backend.expectOne('/api/v1/provider-keys').flush([KEY]);
    expect(store.canManage()).toBe(true);

    const adding = store.create({ provider: 'anthropic', name: 'Anthropic', apiKey: 'sk-ant-123456789' });
    const create = backend.expectOne('/api/v1/provider-keys');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({
      provider: 'anthropic',
      name: 'Anthropic',
      apiKey: 'sk-ant-123456789',
    });
    const added: ProviderKey = { ...KEY, id: 'k2', provider: 'anthropic', name: 'Anthropic', last4: '6789' };
    create.flush(added, { status: 201, statusText: 'Created' });
    await adding;
    expect(store.keys.value()?.map((k) => k.name)).toEqual(['Anthropic', 'OpenAI production']);

    const testing = store.test(KEY);
    expect(store.isTesting(KEY)).toBe(true);
    const test = backend.expectOne('/api/v1/provider-keys/k1/test');
    expect(test.request.method).toBe('POST');
    test.flush({ ok: false, detail: 'The provider refused the key (401)' });
    await expect(testing).resolves.toEqual({ ok: false, detail: 'The provider refused the key (401)' });
    expect(store.isTesting(KEY)).toBe(false);
    expect(store.resultOf(KEY)).toEqual({ ok: false, detail: 'The provider refused the key (401)' });
    expect(store.keys.value()?.find((k) => k.id === 'k1')?.lastUsedAt).not.toBeNull();

    const removing = store.remove(KEY);
    const remove = backend.expectOne('/api/v1/provider-keys/k1');
    expect(remove.request.method).toBe('DELETE');
    remove.flush(null, { status: 204, statusText: 'No Content' });
    await removing;
    expect(store.keys.value()?.map((k) => k.id)).toEqual(['k2']);
    expect(store.resultOf(KEY)).toBeUndefined();
  });

  it('stops showing a key as being tested when the call fails', async () => {
    const { store, backend } = setUp('OWNER');
    backend.expectOne('/api/v1/provider-keys').flush([KEY]);
    const testing = store.test(KEY);
    backend.expectOne('/api/v1/provider-keys/k1/test').flush(
      {
        type: 'about:blank',
        title: 'Not found',
        status: 404,
        code: 'not_found',
        detail: 'Provider key was not found',
      },
      { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await expect(testing).rejects.toBeTruthy();
    expect(store.isTesting(KEY)).toBe(false);
    expect(store.resultOf(KEY)).toBeUndefined();
  });
});
