import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Subject } from 'rxjs';
import { SavedSearch } from '../../data/search.types';
import { ManageSavedSearchesData, ManageSavedSearchesDialog } from './manage-saved-searches-dialog';

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

async function render(data: ManageSavedSearchesData) {
  const close = vi.fn();
  const ref = {
    close,
    disableClose: false,
    backdropClick: () => new Subject<MouseEvent>(),
    keydownEvents: () => new Subject<KeyboardEvent>(),
  };
  TestBed.configureTestingModule({
    imports: [ManageSavedSearchesDialog],
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: ref },
    ],
  });
  const fixture = TestBed.createComponent(ManageSavedSearchesDialog);
  await fixture.whenStable();
  return {
    fixture,
    root: fixture.nativeElement as HTMLElement,
    close,
    backend: TestBed.inject(HttpTestingController),
  };
}

const deleteButtons = (root: HTMLElement) =>
  Array.from(root.querySelectorAll('button')).filter((b) =>
    b.getAttribute('aria-label')?.startsWith('Delete'),
  );

describe('ManageSavedSearchesDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('offers delete for your own searches, and for shared ones only to OWNER/ADMIN', async () => {
    const items = [saved('a'), saved('b', { shared: true, userId: OTHER })];
    const member = await render({ items, userId: ME, mayDeleteShared: false });
    expect(deleteButtons(member.root).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Delete saved search Search a',
    ]);
    TestBed.resetTestingModule();
    const admin = await render({ items, userId: ME, mayDeleteShared: true });
    expect(deleteButtons(admin.root)).toHaveLength(2);
  });

  it('switches the daily e-mail and hands the changed list back on close', async () => {
    const { root, fixture, backend, close } = await render({
      items: [saved('a')],
      userId: ME,
      mayDeleteShared: false,
    });
    const toggle = root.querySelector<HTMLButtonElement>('button[role="switch"]')!;
    expect(toggle.getAttribute('aria-label')).toBe('Daily e-mail of new matches for Search a');
    toggle.click();
    const req = backend.expectOne('/api/v1/search/saved/a/subscription');
    expect(req.request.method).toBe('PUT');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await fixture.whenStable();

    Array.from(root.querySelectorAll('button'))
      .find((b) => b.textContent?.trim() === 'Done')!
      .click();
    expect(close).toHaveBeenCalledWith([expect.objectContaining({ id: 'a', subscribed: true })]);
  });
});
