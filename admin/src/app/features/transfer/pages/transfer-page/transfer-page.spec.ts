import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ExportView, ImportView } from '../../data/transfer.api';
import { TransferPage } from './transfer-page';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

const importView = (over: Partial<ImportView> = {}): ImportView => ({
  id: 'i1',
  status: 'ready',
  format: 'csv',
  filename: 'prompts.csv',
  sizeBytes: 120,
  error: null,
  counts: { total: 2, valid: 1, invalid: 1, duplicates: 0, created: 0, updated: 0, skipped: 0, failed: 0 },
  preview: [
    {
      row: 2,
      source: 'line 3',
      slug: 'broken',
      title: 'Broken',
      action: 'skip',
      duplicate: null,
      errors: [{ field: 'content', message: 'content must not be empty' }],
      outcome: null,
      detail: null,
      promptId: null,
    },
    {
      row: 1,
      source: 'line 2',
      slug: 'welcome',
      title: 'Welcome',
      action: 'create',
      duplicate: null,
      errors: [],
      outcome: null,
      detail: null,
      promptId: null,
    },
  ],
  progress: { done: 0, total: 2 },
  variables: ['name'],
  planLimit: { max: 100, current: 10, remaining: 90, wouldCreate: 1 },
  onDuplicate: null,
  collectionId: null,
  tags: null,
  createdAt: '2026-01-01T00:00:00Z',
  completedAt: null,
  ...over,
});

const EXPORT_DONE: ExportView = {
  id: 'e1',
  status: 'done',
  format: 'json',
  count: 12,
  downloadUrl: '/api/v1/exports/e1/download',
  expiresAt: '2026-01-02T00:00:00Z',
  filename: 'prompts-2026-01-01.json',
  sizeBytes: 2048,
  createdAt: '2026-01-01T00:00:00Z',
  completedAt: '2026-01-01T00:00:05Z',
};

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await new Promise((resolve) => setTimeout(resolve));
  TestBed.tick();
  await fixture.whenStable();
};

async function render(role: MembershipRole, exportsList: ExportView[] | null = []) {
  TestBed.configureTestingModule({
    imports: [TransferPage],
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
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(TransferPage);
  TestBed.tick();
  if (exportsList)
    backend.expectOne('/api/v1/exports?limit=20').flush({ items: exportsList, nextCursor: null });
  await fixture.whenStable();
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

async function uploadFile(root: HTMLElement, fixture: { whenStable: () => Promise<unknown> }) {
  const input = root.querySelector('input[type=file]') as HTMLInputElement;
  const file = new File(['slug,title,content\n'], 'prompts.csv', { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file] });
  input.dispatchEvent(new Event('change'));
  await settle(fixture);
}

describe('TransferPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows a VIEWER that imports are not for their role, and the empty export list', async () => {
    const { root } = await render('VIEWER');
    expect(getByRole(root, 'heading', 'Not available for your role')).toBeTruthy();
    expect(root.querySelector('input[type=file]')).toBeNull();
    expect(getByRole(root, 'heading', 'No exports yet')).toBeTruthy();
  });

  it('uploads a file, shows the preview with errors, commits with the chosen strategy and tags', async () => {
    const { root, fixture, backend } = await render('EDITOR');
    await uploadFile(root, fixture);
    const upload = backend.expectOne('/api/v1/imports');
    expect(upload.request.body).toBeInstanceOf(FormData);
    expect((upload.request.body as FormData).get('file')).toBeInstanceOf(File);
    upload.flush({ id: 'i1', status: 'validating' });
    await settle(fixture);
    backend.expectOne('/api/v1/imports/i1').flush(importView());
    await settle(fixture);

    const status = getByRole(root, 'status');
    expect(status.textContent).toContain('Ready to import');
    expect(status.textContent).toContain('1 with errors');
    expect(status.textContent).toContain('Variables found: name');
    expect(status.textContent).toContain('Your plan allows 90 more prompts');
    const rows = queryAllByRole(getByRole(root, 'table', 'Preview'), 'row');
    expect(rows[1].textContent).toContain('content: content must not be empty');
    expect(getByRole(root, 'button', /Download errors/)).toBeTruthy();

    (root.querySelector('mat-radio-button[value=new_version] input') as HTMLInputElement).click();
    const tags = root.querySelector('input[formcontrolname=tags]') as HTMLInputElement;
    tags.value = 'imported, q1';
    tags.dispatchEvent(new Event('input'));
    getByRole(root, 'button', /Import 1 prompts/).click();
    await settle(fixture);
    const commit = backend.expectOne('/api/v1/imports/i1/commit');
    expect(commit.request.body).toEqual({ onDuplicate: 'new_version', tags: ['imported', 'q1'] });
    commit.flush({ id: 'i1', status: 'importing' });
    await settle(fixture);
    backend
      .expectOne('/api/v1/imports/i1')
      .flush(
        importView({ status: 'importing', progress: { done: 1, total: 2 }, onDuplicate: 'new_version' }),
      );
    await settle(fixture);
    expect(getByRole(root, 'progressbar', 'Import progress').getAttribute('aria-valuenow')).toBe('50');
    fixture.destroy();
  });

  it('says why a refused file was refused', async () => {
    const { root, fixture, backend } = await render('ADMIN');
    await uploadFile(root, fixture);
    backend.expectOne('/api/v1/imports').flush({ id: 'i1', status: 'validating' });
    await settle(fixture);
    backend
      .expectOne('/api/v1/imports/i1')
      .flush(importView({ status: 'failed', error: 'The file is not valid UTF-8 text', preview: [] }));
    await settle(fixture);
    expect(getByRole(root, 'status').textContent).toContain('The file is not valid UTF-8 text');
    expect(queryAllByRole(root, 'button', /Import \d+ prompts/)).toHaveLength(0);
  });

  it('reports a refused upload inline', async () => {
    const { root, fixture, backend } = await render('EDITOR');
    await uploadFile(root, fixture);
    backend
      .expectOne('/api/v1/imports')
      .flush(
        {
          type: 'about:blank',
          title: 'Payload too large',
          status: 413,
          code: 'payload_too_large',
          detail: 'too big',
        },
        {
          status: 413,
          statusText: 'Payload Too Large',
          headers: { 'Content-Type': 'application/problem+json' },
        },
      );
    await settle(fixture);
    expect(getByRole(root, 'alert').textContent).toContain('The file is larger than the server accepts.');
  });

  it('lists exports with download links and starts a new export', async () => {
    const { root, fixture, backend } = await render('OWNER', [
      EXPORT_DONE,
      { ...EXPORT_DONE, id: 'e2', downloadUrl: undefined },
    ]);
    const rows = queryAllByRole(getByRole(root, 'table', 'Your exports'), 'row');
    expect(rows).toHaveLength(3);
    expect(getByRole(rows[1], 'button', 'Download prompts-2026-01-01.json')).toBeTruthy();
    expect(rows[2].textContent).toContain('Expired');
    getByRole(root, 'button', /Export everything I can see/).click();
    await settle(fixture);
    const created = backend.expectOne('/api/v1/exports');
    expect(created.request.body).toEqual({ format: 'json' });
    created.flush({ ...EXPORT_DONE, id: 'e3', status: 'queued', downloadUrl: undefined });
    // The list reloads at once (the page is not stable before that answer).
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    backend.expectOne('/api/v1/exports?limit=20').flush({ items: [EXPORT_DONE], nextCursor: null });
    await settle(fixture);
    fixture.destroy();
  });
});
