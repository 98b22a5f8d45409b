import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ProviderKeysStore } from '../../data/provider-keys.store';
import { AddProviderKeyDialog } from './add-provider-key-dialog';

const PROBLEM = { 'Content-Type': 'application/problem+json' };

async function render() {
  const ref = { close: vi.fn() };
  TestBed.configureTestingModule({
    imports: [AddProviderKeyDialog],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      ProviderKeysStore,
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialogRef, useValue: ref },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush({
    id: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'OWNER' }],
  });
  const fixture = TestBed.createComponent(AddProviderKeyDialog);
  TestBed.tick();
  backend.expectOne('/api/v1/provider-keys').flush([]);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const type = (control: 'name' | 'baseUrl', value: string) => {
    const input = root.querySelector<HTMLInputElement>(`input[formcontrolname="${control}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const typeKey = (value: string) => {
    const input = root.querySelector<HTMLInputElement>('input[type="password"]')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  return { root, fixture, backend, ref, type, typeKey };
}

describe('AddProviderKeyDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('adds an OpenAI key without a base URL and closes with it', async () => {
    const { root, fixture, backend, ref, type, typeKey } = await render();
    expect(root.textContent).not.toContain('Base URL');
    type('name', ' OpenAI production ');
    typeKey('sk-proj-1234567890');
    getByRole(root, 'button', 'Add key').click();
    const create = backend.expectOne('/api/v1/provider-keys');
    expect(create.request.body).toEqual({
      provider: 'openai',
      name: 'OpenAI production',
      apiKey: 'sk-proj-1234567890',
    });
    const key = {
      id: 'k1',
      provider: 'openai',
      name: 'OpenAI production',
      last4: '7890',
      createdAt: '2026-01-01T00:00:00Z',
      lastUsedAt: null,
    };
    create.flush(key, { status: 201, statusText: 'Created' });
    await fixture.whenStable();
    expect(ref.close).toHaveBeenCalledWith(key);
  });

  it('asks for a base URL for OpenAI-compatible endpoints and shows the server’s refusal under it', async () => {
    const { root, fixture, backend, ref, type, typeKey } = await render();
    fixture.componentInstance['form'].controls.provider.setValue('openai-compatible');
    fixture.detectChanges();
    await fixture.whenStable();
    expect(root.textContent).toContain('Base URL');
    type('name', 'Local');
    typeKey('sk-local-123456');
    getByRole(root, 'button', 'Add key').click();
    fixture.detectChanges();
    backend.expectNone('/api/v1/provider-keys');
    expect(root.textContent).toContain("Enter the endpoint's base URL");

    type('baseUrl', 'https://10.0.0.5/v1');
    getByRole(root, 'button', 'Add key').click();
    const create = backend.expectOne('/api/v1/provider-keys');
    expect(create.request.body).toMatchObject({
      provider: 'openai-compatible',
      baseUrl: 'https://10.0.0.5/v1',
    });
    const message = 'baseUrl reaches a private address (10.0.0.5); this server allows only public endpoints';
    create.flush(
      {
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        code: 'validation_failed',
        detail: 'The request has invalid fields',
        errors: [{ field: 'baseUrl', message }],
      },
      { status: 400, statusText: 'Bad Request', headers: PROBLEM },
    );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root.textContent).toContain(
      'This address is private (10.0.0.5); this server only connects to public addresses.',
    );
    expect(ref.close).not.toHaveBeenCalled();
  });

  it('puts a taken name under the name field', async () => {
    const { root, fixture, backend, type, typeKey } = await render();
    type('name', 'Taken');
    typeKey('sk-proj-1234567890');
    getByRole(root, 'button', 'Add key').click();
    backend.expectOne('/api/v1/provider-keys').flush(
      {
        type: 'about:blank',
        title: 'Provider key name already taken',
        status: 409,
        code: 'provider_key_name_taken',
        detail: 'A provider key named "Taken" already exists',
      },
      { status: 409, statusText: 'Conflict', headers: PROBLEM },
    );
    await fixture.whenStable();
    fixture.detectChanges();
    expect(root.textContent).toContain('Another provider key already has this name');
  });
});
