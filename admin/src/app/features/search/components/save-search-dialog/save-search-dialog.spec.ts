import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SavedSearchesStore } from '../../data/saved-searches.store';
import { EMPTY_SEARCH } from '../../data/search-url';
import { SaveSearchDialog, SaveSearchDialogData } from './save-search-dialog';

const PROBLEM = { 'Content-Type': 'application/problem+json' };

async function render() {
  const close = vi.fn();
  const notify = vi.fn();
  const data: SaveSearchDialogData = { state: { ...EMPTY_SEARCH, q: 'summarize' }, summary: '“summarize”' };
  TestBed.configureTestingModule({
    imports: [SaveSearchDialog],
    providers: [
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify } },
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: { close } },
    ],
  });
  const fixture = TestBed.createComponent(SaveSearchDialog);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const save = async (answer: (req: ReturnType<HttpTestingController['expectOne']>) => void) => {
    getByRole(root, 'button', 'Save').click();
    answer(TestBed.inject(HttpTestingController).expectOne('/api/v1/search/saved'));
    await fixture.whenStable();
  };
  return { root, fixture, close, notify, save };
}

describe('SaveSearchDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('saves the query under the given name and closes with the saved search', async () => {
    const { root, close, save } = await render();
    // A native checkbox labelled by the mat-checkbox's text.
    const shared = Array.from(root.querySelectorAll('mat-checkbox'))
      .find((box) => box.textContent?.trim() === 'Share with the organization')!
      .querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    shared.click();
    const created = { id: 's1', name: 'summarize', query: 'summarize', filters: {}, shared: true };
    await save((req) => {
      expect(req.request.body).toEqual(
        expect.objectContaining({ name: 'summarize', query: 'summarize', shared: true, subscribed: false }),
      );
      req.flush(created);
    });
    expect(close).toHaveBeenCalledWith(created);
    expect(TestBed.inject(SavedSearchesStore).items()).toEqual([created]);
  });

  it('shows a taken name (code saved_search_name_taken) under the name, whatever the server wording', async () => {
    const { root, close, notify, save } = await render();
    await save((req) =>
      req.flush(
        { title: 'Conflict', status: 409, code: 'saved_search_name_taken', detail: 'wording may change' },
        { status: 409, statusText: 'Conflict', headers: PROBLEM },
      ),
    );
    expect(close).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
    expect(root.querySelector('mat-error')?.textContent).toContain('already have a saved search named');
    expect(root.textContent).not.toContain('wording may change');
    expect(queryAllByRole(root, 'alert')).toHaveLength(0);
  });

  it('reports any other failure once, in the dialog', async () => {
    const { root, notify, save } = await render();
    await save((req) =>
      req.flush(
        { title: 'Internal Server Error', status: 500 },
        { status: 500, statusText: 'Server Error', headers: PROBLEM },
      ),
    );
    expect(notify).not.toHaveBeenCalled();
    expect(getByRole(root, 'alert').textContent).toContain('Internal Server Error');
    expect(getByRole(root, 'button', 'Save').hasAttribute('disabled')).toBe(false);
  });
});
