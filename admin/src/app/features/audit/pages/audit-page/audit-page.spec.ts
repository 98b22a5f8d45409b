import { HttpTestingController } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { getByRole } from '../../../../../testing/test-helpers';
import { AuditPage, dayStart } from './audit-page';
import { event } from '../../data/audit-fixtures';
import { configureSignedIn } from '../../../../../testing/signed-in-test-bed';

function render() {
  const backend = configureSignedIn('ADMIN');
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
