import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { Prompt } from '../../../library/data/library.types';
import { RECENT_PROMPTS_KEY } from '../../data/recent-prompts';
import { PortalHome } from './portal-home';

const prompt = (id: string, title: string, categoryId: string | null): Prompt =>
  ({ id, title, description: `${title} description`, categoryId, status: 'published' }) as Prompt;

const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await fixture.whenStable();
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};

async function render() {
  TestBed.configureTestingModule({
    imports: [PortalHome],
    providers: [
      memoryStorage({
        [STORAGE_KEYS.organizationId]: 'o1',
        [RECENT_PROMPTS_KEY]: JSON.stringify({ o1: [{ id: 'p9', title: 'Used yesterday' }] }),
      }).provider,
      provideRouter([]),
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(PortalHome);
  TestBed.tick();
  const published = backend.expectOne(
    (r) => r.url === '/api/v1/prompts' && r.params.get('status') === 'published',
  );
  expect(published.request.params.get('limit')).toBe('100');
  published.flush({
    items: [
      prompt('p1', 'Triage ticket', 'c1'),
      prompt('p2', 'Cold e-mail', 'c2'),
      prompt('p3', 'Loose one', null),
    ],
    nextCursor: null,
  });
  backend
    .expectOne((r) => r.url === '/api/v1/prompts' && r.params.get('favorite') === 'true')
    .flush({ items: [prompt('p2', 'Cold e-mail', 'c2')], nextCursor: null });
  backend
    .expectOne((r) => r.url === '/api/v1/categories')
    .flush({
      items: [
        { id: 'c1', name: 'Support', description: null, promptCount: 1, createdAt: '', updatedAt: '' },
        { id: 'c2', name: 'Sales', description: null, promptCount: 1, createdAt: '', updatedAt: '' },
        { id: 'c3', name: 'Empty', description: null, promptCount: 0, createdAt: '', updatedAt: '' },
      ],
      nextCursor: null,
    });
  await settle(fixture);
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

describe('PortalHome', () => {
  it('shows favorites, recently used and published prompts by category', async () => {
    const { root } = await render();
    expect(getByRole(root, 'list', 'Favorites').textContent).toContain('Cold e-mail');
    expect(getByRole(root, 'link', 'Used yesterday').getAttribute('href')).toBe('/portal/prompts/p9');
    const sections = Array.from(root.querySelectorAll('section[aria-label]')).map((s) =>
      s.getAttribute('aria-label'),
    );
    expect(sections).toEqual(expect.arrayContaining(['Support', 'Sales', 'Uncategorized']));
    expect(sections).not.toContain('Empty');
  });

  it('searches published prompts as you type', async () => {
    const { root, fixture, backend } = await render();
    const input = root.querySelector('input[type="search"]') as HTMLInputElement;
    input.value = 'tri';
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const search = backend.expectOne((r) => r.url === '/api/v1/search');
    expect(search.request.params.get('q')).toBe('tri');
    expect(search.request.params.get('status')).toBe('published');
    expect(search.request.params.get('record')).toBe('false');
    search.flush({
      items: [{ id: 'p1', title: 'Triage ticket', description: 'd' }],
      facets: {},
      total: 1,
      nextCursor: null,
    });
    await settle(fixture);
    expect(getByRole(root, 'list', 'Search results').textContent).toContain('Triage ticket');
  });
});
