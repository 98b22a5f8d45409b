import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { memoryStorage } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { SavedSearchesStore } from '../../data/saved-searches.store';
import { SavedSearch } from '../../data/search.types';
import { ManageSavedSearchesDialog } from './manage-saved-searches-dialog';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function saved(id: string, patch: Partial<SavedSearch> = {}): SavedSearch {
  return {
    id,
    name: `Search ${id}`,
    query: 'summarize',
    filters: {},
    shared: false,
    subscribed: false,
    userId: ME,
    createdAt: '2026-11-25T10:00:00Z',
    ...patch,
  };
}

async function render(items: SavedSearch[], role: MembershipRole) {
  TestBed.configureTestingModule({
    imports: [ManageSavedSearchesDialog],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MatDialogRef, useValue: { close: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush({
    id: ME,
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
  });
  const store = TestBed.inject(SavedSearchesStore);
  const loaded = store.load();
  backend.expectOne('/api/v1/search/saved').flush(items);
  await loaded;
  const fixture = TestBed.createComponent(ManageSavedSearchesDialog);
  await fixture.whenStable();
  return { fixture, root: fixture.nativeElement as HTMLElement, backend, store };
}

const deleteButtons = (root: HTMLElement) =>
  Array.from(root.querySelectorAll('button')).filter((b) =>
    b.getAttribute('aria-label')?.startsWith('Delete'),
  );

describe('ManageSavedSearchesDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('offers delete for your own searches, and for shared ones only to OWNER/ADMIN', async () => {
    const items = [saved('a'), saved('b', { shared: true, userId: OTHER })];
    const member = await render(items, 'EDITOR');
    expect(deleteButtons(member.root).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Delete saved search Search a',
    ]);
    TestBed.resetTestingModule();
    const admin = await render(items, 'ADMIN');
    expect(deleteButtons(admin.root)).toHaveLength(2);
  });

  it('switches the daily e-mail through the store, which keeps the new state', async () => {
    const { root, fixture, backend, store } = await render([saved('a')], 'EDITOR');
    const toggle = root.querySelector<HTMLButtonElement>('button[role="switch"]')!;
    expect(toggle.getAttribute('aria-label')).toBe('Daily e-mail of new matches for Search a');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    toggle.click();
    const req = backend.expectOne('/api/v1/search/saved/a/subscription');
    expect(req.request.method).toBe('PUT');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();
    expect(store.items()).toEqual([expect.objectContaining({ id: 'a', subscribed: true })]);
    expect(toggle.getAttribute('aria-checked')).toBe('true');
  });
});
