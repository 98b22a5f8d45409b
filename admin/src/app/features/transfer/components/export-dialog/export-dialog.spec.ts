import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { ExportScope, scopeRequest } from '../../data/export-scope';
import { ExportView } from '../../data/transfer.api';
import { POLL_MS } from '../../data/transfer.store';
import { describeScope, ExportDialog } from './export-dialog';

const view = (over: Partial<ExportView> = {}): ExportView => ({
  id: 'e1',
  status: 'queued',
  format: 'json',
  count: 0,
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await new Promise((resolve) => setTimeout(resolve));
  TestBed.tick();
  await fixture.whenStable();
};

function render(scope: ExportScope) {
  TestBed.configureTestingModule({
    imports: [ExportDialog],
    providers: [
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
      provideAppIcons(),
      { provide: MAT_DIALOG_DATA, useValue: scope },
      { provide: MatDialogRef, useValue: { close: vi.fn() } },
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const fixture = TestBed.createComponent(ExportDialog);
  fixture.detectChanges();
  return {
    fixture,
    backend: TestBed.inject(HttpTestingController),
    root: fixture.nativeElement as HTMLElement,
  };
}

async function chooseFormat(
  root: HTMLElement,
  fixture: { whenStable: () => Promise<unknown> },
  label: RegExp,
) {
  (root.querySelector('mat-select .mat-mdc-select-trigger') as HTMLElement).click();
  await settle(fixture);
  const option = Array.from(document.querySelectorAll<HTMLElement>('mat-option')).find((o) =>
    label.test(o.textContent ?? ''),
  );
  option!.click();
  await settle(fixture);
}

describe('scopeRequest and describeScope', () => {
  it('sends the scope the API takes, leaving out an empty query or empty filters', () => {
    expect(scopeRequest({ kind: 'ids', ids: ['a', 'b'] })).toEqual({ ids: ['a', 'b'] });
    expect(scopeRequest({ kind: 'collection', collectionId: 'c', name: 'Mails' })).toEqual({
      collectionId: 'c',
    });
    expect(scopeRequest({ kind: 'search', query: '  ', filters: { tags: ['faq'] }, summary: 'x' })).toEqual({
      filters: { tags: ['faq'] },
    });
    expect(scopeRequest({ kind: 'search', query: ' mail ', filters: {}, summary: 'x' })).toEqual({
      query: 'mail',
    });
  });

  it('names what is exported', () => {
    expect(describeScope({ kind: 'ids', ids: ['a'] }).heading).toBe('Export 1 prompt');
    expect(describeScope({ kind: 'ids', ids: ['a', 'b'] }).what).toBe('The 2 selected prompts.');
    expect(describeScope({ kind: 'collection', collectionId: 'c', name: 'Mails' }).what).toContain(
      'sub-collections',
    );
  });
});

describe('ExportDialog', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((e) => (e.innerHTML = ''));
  });

  it('exports the selection as CSV, follows the job and downloads the file', async () => {
    const createObjectURL = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const { fixture, backend, root } = render({ kind: 'ids', ids: ['p1', 'p2'] });
    expect(getByRole(root, 'heading', 'Export 2 prompts')).toBeTruthy();
    expect(root.textContent).toContain('Include every version');

    await chooseFormat(root, fixture, /^CSV/);
    expect(root.textContent).not.toContain('Include every version');
    getByRole(root, 'button', 'Export').click();
    await settle(fixture);
    const create = backend.expectOne('/api/v1/exports');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({ format: 'csv', ids: ['p1', 'p2'] });
    create.flush(view({ format: 'csv' }));
    await settle(fixture);
    expect(getByRole(root, 'status').textContent).toContain('Waiting to start');
    expect(getByRole(root, 'progressbar', 'Export progress')).toBeTruthy();
    expect((getByRole(root, 'button', 'Export') as HTMLButtonElement).disabled).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 50));
    backend.expectOne('/api/v1/exports/e1').flush(
      view({
        status: 'done',
        format: 'csv',
        count: 2,
        filename: 'prompts-2026-01-01.csv',
        downloadUrl: '/api/v1/exports/e1/download',
      }),
    );
    await settle(fixture);
    expect(getByRole(root, 'status').textContent).toContain('Ready: 2 prompts in prompts-2026-01-01.csv');
    expect(queryAllByRole(root, 'progressbar', 'Export progress')).toHaveLength(0);

    getByRole(root, 'button', /Download/).click();
    await settle(fixture);
    const download = backend.expectOne('/api/v1/exports/e1/download');
    expect(download.request.responseType).toBe('blob');
    download.flush(new Blob(['slug,title\n']));
    await settle(fixture);
    expect(createObjectURL).toHaveBeenCalled();
    fixture.destroy();
  });

  it('exports a search with its filters and every version, and says why a refused export failed', async () => {
    const { fixture, backend, root } = render({
      kind: 'search',
      query: 'summarize',
      filters: { tags: ['faq'], status: 'published' },
      summary: '“summarize” · tag faq',
    });
    expect(root.textContent).toContain(
      'What this search finds (up to 10,000 prompts): “summarize” · tag faq.',
    );
    getByRole(root, 'button', 'Export').click();
    await settle(fixture);
    const create = backend.expectOne('/api/v1/exports');
    expect(create.request.body).toEqual({
      format: 'json',
      query: 'summarize',
      filters: { tags: ['faq'], status: 'published' },
      includeVersions: true,
    });
    create.flush(
      {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        code: 'forbidden',
        detail: 'Exports are turned off',
      },
      { status: 403, statusText: 'Forbidden', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await settle(fixture);
    expect(root.textContent).toContain('Could not start the export: Exports are turned off');
    expect((getByRole(root, 'button', 'Export') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a failed export and stops following it', async () => {
    const { fixture, backend, root } = render({ kind: 'collection', collectionId: 'c1', name: 'Mails' });
    expect(getByRole(root, 'heading', 'Export Mails')).toBeTruthy();
    getByRole(root, 'button', 'Export').click();
    await settle(fixture);
    const create = backend.expectOne('/api/v1/exports');
    expect(create.request.body).toEqual({ format: 'json', collectionId: 'c1', includeVersions: true });
    create.flush(view({ status: 'running' }));
    await settle(fixture);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 50));
    backend
      .expectOne('/api/v1/exports/e1')
      .flush(view({ status: 'failed', error: 'You may no longer export' }));
    await settle(fixture);
    expect(root.textContent).toContain('The export failed: You may no longer export');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 50));
    backend.expectNone('/api/v1/exports/e1');
    fixture.destroy();
  });
});
