import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { MatDialog } from '@angular/material/dialog';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ExportDialog } from '../../../transfer/components/export-dialog/export-dialog';
import { SearchHit, SearchResponse } from '../../data/search.types';
import { SearchPage } from './search-page';

function hit(id: string, patch: Partial<SearchHit> = {}): SearchHit {
  return {
    id,
    slug: id,
    title: `Prompt ${id}`,
    description: '',
    tags: ['writing'],
    status: 'draft',
    authorId: null,
    categoryId: null,
    updatedAt: '2026-11-20T10:00:00.000Z',
    score: 1,
    highlights: {},
    ...patch,
  };
}

function response(items: SearchHit[], patch: Partial<SearchResponse> = {}): SearchResponse {
  return {
    items,
    facets: {
      tags: [
        { value: 'writing', count: 2 },
        { value: 'meetings', count: 1 },
      ],
      categories: [],
      authors: [],
      status: [{ value: 'draft', count: 2 }],
    },
    total: items.length,
    nextCursor: null,
    engine: 'postgres',
    ...patch,
  };
}

// The shared role helpers know only a few implicit roles; these landmarks are found by label.
const results = (root: HTMLElement) => root.querySelector<HTMLElement>('ol[aria-label="Search results"]')!;
const filters = (root: HTMLElement) => root.querySelector<HTMLElement>('aside[aria-label="Filters"]')!;
const checkboxes = (root: HTMLElement) =>
  Array.from(root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]'));

async function open(url: string, member?: { role: MembershipRole; membersMayExport: boolean }) {
  const dialog = { open: vi.fn() };
  TestBed.configureTestingModule({
    providers: [
      provideRouter([{ path: 'search', component: SearchPage }]),
      provideHttpClient(),
      provideHttpClientTesting(),
      memoryStorage({ [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      { provide: MatDialog, useValue: dialog },
    ],
  });
  if (member)
    TestBed.inject(SessionStore).me.set({
      id: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      emailVerified: true,
      memberships: [
        {
          organizationId: 'o1',
          organizationName: 'Acme',
          slug: 'acme',
          role: member.role,
          policies: { viewersMayRun: false, membersMayExport: member.membersMayExport },
        },
      ],
    });
  const harness = await RouterTestingHarness.create(url);
  return {
    harness,
    root: harness.routeNativeElement!,
    backend: TestBed.inject(HttpTestingController),
    router: TestBed.inject(Router),
    dialog,
  };
}

describe('SearchPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('exports the results with the query and filters the page shows, for members who may export', async () => {
    const { harness, root, backend, dialog } = await open('/search?q=mail&tags=writing&status=draft', {
      role: 'VIEWER',
      membersMayExport: true,
    });
    backend.expectOne((r) => r.url === '/api/v1/search').flush(response([hit('a'), hit('b')]));
    await harness.fixture.whenStable();
    getByRole(root, 'button', 'Export').click();
    const [component, options] = dialog.open.mock.calls[0] as unknown as [unknown, { data: unknown }];
    expect(component).toBe(ExportDialog);
    expect(options.data).toMatchObject({
      kind: 'search',
      query: 'mail',
      filters: { tags: ['writing'], status: 'draft' },
    });
    expect((options.data as { summary: string }).summary).toContain('“mail”');
  });

  it('offers no export when the organization keeps exports to OWNER and ADMIN', async () => {
    const { harness, root, backend } = await open('/search?q=mail', { role: 'EDITOR', membersMayExport: false });
    backend.expectOne((r) => r.url === '/api/v1/search').flush(response([hit('a')]));
    await harness.fixture.whenStable();
    expect(queryAllByRole(root, 'button', 'Export')).toHaveLength(0);
  });

  it('searches what the URL says and shows results, count, facets and chips', async () => {
    const { harness, root, backend } = await open('/search?q=sumarize&tags=writing');
    const req = backend.expectOne((r) => r.url === '/api/v1/search');
    expect(req.request.params.get('q')).toBe('sumarize');
    expect(req.request.params.get('tags')).toBe('writing');
    req.flush(
      response([
        hit('a', { title: 'Summarize notes', highlights: { title: '<mark>Summarize</mark> notes' } }),
        hit('b'),
      ]),
    );
    await harness.fixture.whenStable();

    expect(getByRole(root, 'heading', 'Results for “sumarize”')).toBeTruthy();
    expect(root.querySelector('[role="status"]')?.textContent?.trim()).toBe('2 prompts');
    const list = results(root);
    expect(queryAllByRole(list, 'listitem')).toHaveLength(2);
    expect(list.querySelector('mark')?.textContent).toBe('Summarize');
    expect(getByRole(root, 'button', 'Remove filter Tag: writing')).toBeTruthy();
    const facets = filters(root);
    expect(checkboxes(facets).map((c) => c.getAttribute('aria-label'))).toEqual([
      'writing, 2',
      'meetings, 1',
      'Draft, 2',
    ]);
  });

  it('keeps Angular sanitizing the highlight HTML', async () => {
    const { harness, root, backend } = await open('/search?q=x');
    backend
      .expectOne(() => true)
      .flush(
        response([hit('a', { highlights: { title: '<mark>x</mark><img src="x" onerror="alert(1)">' } })]),
      );
    await harness.fixture.whenStable();
    const link = results(root).querySelector('a')!;
    expect(link.querySelector('mark')?.textContent).toBe('x');
    expect(link.querySelector('[onerror]')).toBeNull();
  });

  it('a facet click and a chip removal change the URL, which runs the search', async () => {
    const { harness, root, backend, router } = await open('/search?q=notes');
    backend.expectOne(() => true).flush(response([hit('a'), hit('b')]));
    await harness.fixture.whenStable();

    const facets = filters(root);
    const meetings = checkboxes(facets).find((c) =>
      c.closest('mat-checkbox')?.textContent?.includes('meetings'),
    )!;
    meetings.click();
    await harness.fixture.whenStable();
    expect(router.url).toBe('/search?q=notes&tags=meetings');
    backend.expectOne((r) => r.params.get('tags') === 'meetings').flush(response([hit('a')]));
    await harness.fixture.whenStable();
    expect(root.querySelector('[role="status"]')?.textContent?.trim()).toBe('1 prompt');

    getByRole(root, 'button', 'Remove filter Tag: meetings').click();
    await harness.fixture.whenStable();
    expect(router.url).toBe('/search?q=notes');
    backend.expectOne((r) => !r.params.has('tags')).flush(response([hit('a'), hit('b')]));
  });

  it('the Untagged quick filter asks for untagged prompts instead of the tag filter', async () => {
    const { harness, root, backend, router } = await open('/search?q=notes&tags=meetings');
    backend.expectOne(() => true).flush(response([hit('a')]));
    await harness.fixture.whenStable();

    const untagged = Array.from(root.querySelectorAll<HTMLElement>('mat-chip-option')).find((c) =>
      c.textContent?.includes('Untagged'),
    )!;
    untagged.querySelector<HTMLElement>('.mat-mdc-chip-action')!.click();
    await harness.fixture.whenStable();
    expect(router.url).toBe('/search?q=notes&untagged=true');
    backend
      .expectOne((r) => r.params.get('untagged') === 'true' && !r.params.has('tags'))
      .flush(response([hit('b')]));
    await harness.fixture.whenStable();
    expect(getByRole(root, 'button', 'Remove filter Untagged')).toBeTruthy();
  });

  it('asks nothing and explains the syntax when there is nothing to search for', async () => {
    const { root, backend } = await open('/search');
    backend.expectNone(() => true);
    expect(getByRole(root, 'heading', 'Search your prompts')).toBeTruthy();
  });

  it('shows an error with a retry', async () => {
    const { harness, root, backend } = await open('/search?q=x');
    backend.expectOne(() => true).flush(null, { status: 500, statusText: 'Server Error' });
    await harness.fixture.whenStable();
    expect(getByRole(root, 'heading', 'The search failed')).toBeTruthy();
    getByRole(root, 'button', 'Try again').click();
    backend.expectOne(() => true).flush(response([]));
    await harness.fixture.whenStable();
    expect(getByRole(root, 'heading', 'No prompts match')).toBeTruthy();
  });
});
