import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { Me } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { AuditEvent } from '../../data/audit.api';
import { AuditPage, dayStart } from './audit-page';

const event = (seq: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `e${seq}`,
  seq,
  occurredAt: '2026-12-01T10:00:00.000Z',
  actor: { type: 'user', id: 'u1', email: 'ada@example.com' },
  action: 'prompt.updated',
  target: { type: 'prompt', id: 'p1' },
  ip: '127.0.0.1',
  userAgent: 'test',
  requestId: 'r1',
  changes: { title: { from: 'a', to: 'b' } },
  hash: 'h'.repeat(64),
  prevHash: 'p'.repeat(64),
  hashVersion: 1,
  personalHash: null,
  personalSalt: null,
  ...overrides,
});

const ME: Me = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'ADMIN' }],
};

function render() {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(ME);
  const fixture = TestBed.createComponent(AuditPage);
  fixture.detectChanges();
  backend
    .expectOne('/api/v1/organizations/o1/members')
    .flush([
      { userId: 'u2', email: 'bo@example.com', name: 'Bo', role: 'EDITOR', joinedAt: '2026-01-01T00:00:00Z' },
    ]);
  const stable = () => TestBed.inject(ApplicationRef).whenStable();
  return { fixture, backend, el: fixture.nativeElement as HTMLElement, stable };
}

describe('AuditPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lists events, filters them, opens the changes as a diff and verifies the chain', async () => {
    const { fixture, backend, el, stable } = render();
    backend
      .expectOne((r) => r.url === '/api/v1/audit-events')
      .flush({
        items: [event(2), event(1, { action: 'prompt.created', changes: { title: 'First' } })],
        nextCursor: null,
      });
    await stable();
    fixture.detectChanges();
    expect(el.querySelectorAll('tbody tr')).toHaveLength(2);

    // Filter: an action family, free text, a date range (the "to" day included).
    const input = (name: string) => el.querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`)!;
    for (const [name, value] of [
      ['action', 'prompt.*'],
      ['q', 'First'],
      ['from', '2026-12-01'],
      ['to', '2026-12-02'],
    ]) {
      input(name).value = value;
      input(name).dispatchEvent(new Event('input'));
    }
    getByRole(el, 'button', 'Apply filters').click();
    const filtered = backend.expectOne((r) => r.url === '/api/v1/audit-events');
    expect(filtered.request.params.get('action')).toBe('prompt.*');
    expect(filtered.request.params.get('q')).toBe('First');
    expect(filtered.request.params.get('from')).toBe(dayStart('2026-12-01'));
    expect(filtered.request.params.get('to')).toBe(dayStart('2026-12-03'));
    filtered.flush({ items: [event(2)], nextCursor: null });
    await stable();
    fixture.detectChanges();

    getByRole(el, 'button', 'Details of prompt.updated, event 2').click();
    fixture.detectChanges();
    const drawer = getByRole(el, 'dialog', 'Audit event 2');
    const cells = [...drawer.querySelectorAll('table.diff tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim()),
    );
    expect(cells).toEqual([['title', 'a', 'b']]);
    expect(drawer.textContent).toContain('h'.repeat(64));

    getByRole(el, 'button', 'Verify integrity').click();
    backend.expectOne('/api/v1/audit-events/verify').flush({ valid: true, checked: 42 });
    await stable();
    fixture.detectChanges();
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Intact: 42 events checked');
  });

  it('names the first broken event when the chain does not verify', async () => {
    const { fixture, backend, el, stable } = render();
    backend.expectOne((r) => r.url === '/api/v1/audit-events').flush({ items: [], nextCursor: null });
    await stable();
    fixture.detectChanges();
    expect(el.textContent).toContain('No events match');
    getByRole(el, 'button', 'Verify integrity').click();
    backend.expectOne('/api/v1/audit-events/verify').flush({ valid: false, brokenAtSeq: 7, checked: 6 });
    await stable();
    fixture.detectChanges();
    expect(el.textContent).toContain('Broken at event 7');
  });
});
