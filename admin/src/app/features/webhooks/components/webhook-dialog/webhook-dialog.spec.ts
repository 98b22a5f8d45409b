import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { Me } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { WebhookEndpoint } from '../../data/webhooks.api';
import { WebhooksStore } from '../../data/webhooks.store';
import { WebhookDialog } from './webhook-dialog';

const ME: Me = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'ADMIN' }],
};

const ENDPOINT: WebhookEndpoint = {
  id: 'w1',
  url: 'https://hooks.example.com/pv',
  events: ['prompt.created'],
  description: null,
  enabled: true,
  disabledReason: null,
  failingSince: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
async function render() {
  const close = vi.fn();
  TestBed.configureTestingModule({
    imports: [WebhookDialog],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialogRef, useValue: { close } },
      WebhooksStore,
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(ME);
  const fixture = TestBed.createComponent(WebhookDialog);
  TestBed.tick();
  backend.expectOne('/api/v1/webhooks').flush([]);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const type = (control: 'url' | 'description', value: string) => {
    const input = root.querySelector<HTMLInputElement>(`input[formcontrolname="${control}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const check = (type: string) => {
    const box = [...root.querySelectorAll('mat-checkbox')].find((b) => b.textContent?.includes(type));
    box!.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
  };
  const submit = async () => {
    getByRole(root, 'button', 'Add endpoint').click();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  return { fixture, backend, close, root, type, check, submit };
}

describe('WebhookDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('groups the events and asks for at least one before sending anything', async () => {
    const { root, type, submit, backend } = await render();
    for (const group of ['Prompts', 'Comments', 'Members', 'Other'])
      expect(root.textContent).toContain(group);
    type('url', 'https://hooks.example.com/pv');
    await submit();
    backend.expectNone('/api/v1/webhooks');
    expect(getByRole(root, 'alert').textContent).toContain('Choose at least one event');
  });

  it('creates the endpoint with the chosen events and closes', async () => {
    const { type, check, submit, backend, close } = await render();
    type('url', ' https://hooks.example.com/pv ');
    type('description', 'CI');
    check('prompt.created');
    check('comment.created');
    await submit();
    const req = backend.expectOne('/api/v1/webhooks');
    expect(req.request.body).toEqual({
      url: 'https://hooks.example.com/pv',
      events: ['prompt.created', 'comment.created'],
      description: 'CI',
    });
    req.flush({ ...ENDPOINT, secret: 'whsec_x' });
    await new Promise((resolve) => setTimeout(resolve));
    expect(close).toHaveBeenCalledWith(ENDPOINT);
  });

  it('puts the server’s refusal of the URL under the field', async () => {
    const { root, fixture, type, check, submit, backend, close } = await render();
    type('url', 'http://10.0.0.5/hook');
    check('prompt.deleted');
    await submit();
    backend.expectOne('/api/v1/webhooks').flush(
      {
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        code: 'validation_failed',
        errors: [{ field: 'url', message: 'url reaches a private address (10.0.0.5)' }],
      },
      { status: 400, statusText: 'Bad Request', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(root.textContent).toContain('This address is private (10.0.0.5)');
    expect(close).not.toHaveBeenCalled();
  });
});
